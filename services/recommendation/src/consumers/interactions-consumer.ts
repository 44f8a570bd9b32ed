import { EventTypes, InteractionRecorded, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import type { InteractionWeights } from '../domain/interaction-weights.ts'
import { feedbackConsumer } from './feedback-consumer.ts'
import { followsConsumer } from './follows-consumer.ts'
import { identityMergeConsumer } from './identity-merge-consumer.ts'
import { popularityConsumer } from './popularity-consumer.ts'
import { userItemStateConsumer } from './user-item-state-consumer.ts'

/**
 * Everything recommendation learns from `attune.interactions`, applied in one transaction with one
 * inbox write per event: popularity, per-user item state, follows, recommendation feedback, then
 * identity merges (last: they move the rows the others just wrote for the same batch).
 */
export function interactionsConsumer(weights: InteractionWeights): ConsumerDefinition<RecommendationDb> {
  const parts = [popularityConsumer(weights), userItemStateConsumer(weights), followsConsumer, feedbackConsumer, identityMergeConsumer]
  return {
    name: 'interactions',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      for (const part of parts) await part.handle(trx, events)
    },
  }
}
