import { EventEnvelope, EventTypes, SentimentScoredData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { suppressedIds } from '../store/suppressions-store.ts'
import { addSentiment } from '../store/trait-aggregates-store.ts'

const SentimentScored = EventEnvelope(SentimentScoredData, 'SentimentScored')

/**
 * Folds scored texts from `attune.sentiment` into each user's average sentiment and emotions,
 * except a suppressed user's (a text collected before its suppression, scored after).
 */
export const sentimentConsumer: ConsumerDefinition<ProfilingDb> = {
  name: 'sentiment-traits',
  topic: Topics.sentiment,
  types: [EventTypes.sentimentScored.type],
  schema: SentimentScored,
  async handle(trx, events) {
    const byUser = new Map<string, { samples: number; sum: number; emotions: Record<string, number> }>()
    for (const e of events) {
      const d = e.data as SentimentScoredData
      if (!d.userId) continue
      const acc = byUser.get(d.userId) ?? { samples: 0, sum: 0, emotions: {} }
      acc.samples++
      acc.sum += d.compound
      acc.emotions[d.emotion] = (acc.emotions[d.emotion] ?? 0) + 1
      byUser.set(d.userId, acc)
    }
    const suppressed = await suppressedIds(trx, byUser.keys())
    for (const [userId, a] of byUser) if (!suppressed.has(userId)) await addSentiment(trx, userId, a.samples, a.sum, a.emotions)
  },
}
