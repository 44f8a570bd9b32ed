import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import type { InteractionWeights } from '../domain/interaction-weights.ts'
import { popularityIncrements } from '../domain/popularity.ts'
import { addPopularity } from '../store/popularity-store.ts'

/** Keeps per-item popularity current from `attune.interactions`. */
export function popularityConsumer(weights: InteractionWeights): ConsumerDefinition<RecommendationDb> {
  return {
    name: 'popularity',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      await addPopularity(
        trx,
        popularityIncrements(
          events.map((e) => e.data as InteractionRecordedData),
          weights,
        ),
      )
    },
  }
}
