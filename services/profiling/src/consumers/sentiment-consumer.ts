import { EventEnvelope, EventTypes, SentimentScoredData, Topics } from '@attune/contracts'
import { type ConsumerDefinition, enqueueEvents } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { type MembershipPublisher, refreshRuleSegmentsOf } from '../store/segment-membership-store.ts'
import { suppressedIds } from '../store/suppressions-store.ts'
import { addSentiment } from '../store/trait-aggregates-store.ts'

const SentimentScored = EventEnvelope(SentimentScoredData, 'SentimentScored')

/**
 * Folds scored texts from `attune.sentiment` into each user's average sentiment and emotions,
 * except a suppressed user's (a text collected before its suppression, scored after). Rule segments
 * can test those traits, so the users whose sentiment changed are re-evaluated in the same
 * transaction and each join and leave is published on `attune.profiles`, as the segments consumer
 * does for interactions (users whose erasure is pending left out).
 */
export function sentimentConsumer(deps: MembershipPublisher): ConsumerDefinition<ProfilingDb> {
  return {
    name: 'sentiment-traits',
    topic: Topics.sentiment,
    types: [EventTypes.sentimentScored.type],
    schema: SentimentScored,
    async handle(trx, events) {
      const now = deps.clock()
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
      const changed: string[] = []
      for (const [userId, a] of byUser) {
        if (suppressed.has(userId)) continue
        await addSentiment(trx, userId, a.samples, a.sum, a.emotions)
        changed.push(userId)
      }
      if (changed.length === 0) return
      const messages = await refreshRuleSegmentsOf(trx, changed, { topic: deps.profilesTopic, source: deps.source, now })
      await enqueueEvents(trx as Kysely<ProfilingDb>, messages)
    },
  }
}
