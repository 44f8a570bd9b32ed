import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { followChanges } from '../domain/follows.ts'
import { applyFollowChanges } from '../store/follows-store.ts'

/** Keeps the social graph (who follows which author or user) from follow and unfollow interactions. */
export const followsConsumer: ConsumerDefinition<RecommendationDb> = {
  name: 'follows',
  topic: Topics.interactions,
  types: [EventTypes.interactionRecorded.type],
  schema: InteractionRecorded,
  async handle(trx, events) {
    await applyFollowChanges(trx, followChanges(events.map((e) => e.data as InteractionRecordedData)))
  },
}
