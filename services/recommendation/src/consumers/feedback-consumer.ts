import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { feedbackIncrements } from '../domain/attribution.ts'
import { addFeedback } from '../store/feedback-store.ts'

/** Counts views, clicks and engagement per `recommendationId`, for click-through per recommendation and scenario. */
export const feedbackConsumer: ConsumerDefinition<RecommendationDb> = {
  name: 'recommendation-feedback',
  topic: Topics.interactions,
  types: [EventTypes.interactionRecorded.type],
  schema: InteractionRecorded,
  async handle(trx, events) {
    await addFeedback(trx, feedbackIncrements(events.map((e) => e.data as InteractionRecordedData)))
  },
}
