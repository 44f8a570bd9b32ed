import { EventTypes, type SentimentScoredData, type SentimentSpikeDetectedData } from '@attune/contracts'
import type { ScoredText } from './buckets.ts'

/** The `sentiment.scored` event of a scored text: keyed by the user, or by the item for posts. */
export function scoredEvent(t: ScoredText): { subject: string; data: SentimentScoredData; time: Date } {
  const data: SentimentScoredData = { textId: t.textId, label: t.label, compound: t.compound, emotion: t.emotion, source: t.source, topics: t.topics }
  if (t.userId) data.userId = t.userId
  if (t.itemId) data.itemId = t.itemId
  if (t.authorId) data.authorId = t.authorId
  return { subject: t.userId ?? t.itemId ?? t.textId, data, time: t.at }
}

export const scoredType = EventTypes.sentimentScored
export const spikeType = EventTypes.sentimentSpikeDetected
export type { SentimentSpikeDetectedData }
