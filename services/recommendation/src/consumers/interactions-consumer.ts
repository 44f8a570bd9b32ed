import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { feedbackIncrements } from '../domain/attribution.ts'
import { followChanges } from '../domain/follows.ts'
import { anonymousIds, attributedToUsers } from '../domain/identity-merges.ts'
import type { InteractionWeights } from '../domain/interaction-weights.ts'
import { popularityIncrements } from '../domain/popularity.ts'
import { userItemIncrements } from '../domain/user-item-state.ts'
import { addFeedback } from '../store/feedback-store.ts'
import { applyFollowChanges } from '../store/follows-store.ts'
import { linkedUsers } from '../store/identity-merge-store.ts'
import { applyUserItemIncrements } from '../store/interactions-store.ts'
import { addPopularity } from '../store/popularity-store.ts'

/**
 * Everything recommendation learns from `attune.interactions`, applied in one transaction with one
 * inbox write per event (an anonymous visitor's events once merged counted for their user):
 * per-item popularity, each user's per-item weights and counts (what the personal recommenders
 * learn from), the follow graph, views and clicks per `recommendationId`. An event carrying both
 * ids counts for the user, but merges nothing here: merges are profiling's, applied from its
 * announcements (identity-merges-consumer.ts), so both services agree on who an anonymous id is.
 */
export function interactionsConsumer(weights: InteractionWeights): ConsumerDefinition<RecommendationDb> {
  return {
    name: 'interactions',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      const recorded = events.map((e) => e.data as InteractionRecordedData)
      const links = await linkedUsers(trx, anonymousIds(recorded))
      const batch = attributedToUsers(recorded, links)
      await addPopularity(trx, popularityIncrements(batch, weights))
      await applyUserItemIncrements(trx, userItemIncrements(batch, weights))
      await applyFollowChanges(trx, followChanges(batch))
      await addFeedback(trx, feedbackIncrements(batch))
    },
  }
}
