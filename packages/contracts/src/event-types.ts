import { type TopicName, Topics } from './topics.ts'

/** Every event type on Attune's topics, with the topic it travels on. */
export const EventTypes = {
  interactionRecorded: { type: 'interaction.recorded', topic: Topics.interactions, schemaVersion: 1 },
  itemUpserted: { type: 'item.upserted', topic: Topics.items, schemaVersion: 1 },
  itemRemoved: { type: 'item.removed', topic: Topics.items, schemaVersion: 1 },
  profileUpdated: { type: 'profile.updated', topic: Topics.profiles, schemaVersion: 1 },
  segmentMembershipChanged: { type: 'segment.membership-changed', topic: Topics.profiles, schemaVersion: 1 },
  preferencesUpdated: { type: 'preferences.updated', topic: Topics.profiles, schemaVersion: 1 },
  consentChanged: { type: 'consent.changed', topic: Topics.profiles, schemaVersion: 1 },
  sentimentScored: { type: 'sentiment.scored', topic: Topics.sentiment, schemaVersion: 1 },
  sentimentSpikeDetected: { type: 'sentiment.spike-detected', topic: Topics.sentiment, schemaVersion: 1 },
  deliverySent: { type: 'delivery.sent', topic: Topics.deliveries, schemaVersion: 1 },
  erasureRequested: { type: 'privacy.erasure-requested', topic: Topics.privacy, schemaVersion: 1 },
  erasureCompleted: { type: 'privacy.erasure-completed', topic: Topics.privacy, schemaVersion: 1 },
  exportRequested: { type: 'privacy.export-requested', topic: Topics.privacy, schemaVersion: 1 },
} as const satisfies Record<string, { type: string; topic: TopicName; schemaVersion: number }>

export type EventTypeName = (typeof EventTypes)[keyof typeof EventTypes]['type']
