import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import type { InteractionWeights } from '../domain/interaction-weights.ts'
import { userItemIncrements } from '../domain/user-item-state.ts'
import { applyUserItemIncrements } from '../store/interactions-store.ts'

/** Keeps each user's per-item weights and counts current from `attune.interactions` (what personal recommenders learn from). */
export function userItemStateConsumer(weights: InteractionWeights): ConsumerDefinition<RecommendationDb> {
  return {
    name: 'user-item-state',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      await applyUserItemIncrements(
        trx,
        userItemIncrements(
          events.map((e) => e.data as InteractionRecordedData),
          weights,
        ),
      )
    },
  }
}
