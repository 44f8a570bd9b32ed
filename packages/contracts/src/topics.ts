/** Logical topic names; the deployed name is `${prefix}.${name}` (prefix `attune` by default). */
export const Topics = {
  interactions: 'interactions',
  items: 'items',
  profiles: 'profiles',
  sentiment: 'sentiment',
  deliveries: 'deliveries',
  privacy: 'privacy',
} as const

export type TopicName = (typeof Topics)[keyof typeof Topics]

export const allTopics: readonly TopicName[] = Object.values(Topics)

/** The Kafka topic for a logical topic under a prefix, e.g. `attune.interactions`. */
export function topicName(prefix: string, topic: TopicName): string {
  return prefix ? `${prefix}.${topic}` : topic
}

/** The dead-letter topic that receives events a consumer of `topic` gave up on. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`
}
