import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { identityMerges } from '../domain/identity-merges.ts'
import { mergeAnonymousHistory } from '../store/identity-merge-store.ts'

/**
 * On `identify`, moves what was learned under the anonymous id to the user. Listed after the other
 * interaction consumers: the kit runs a service's consumers in order on each batch, so the anonymous
 * rows of the same batch are already written when they are moved.
 */
export const identityMergeConsumer: ConsumerDefinition<RecommendationDb> = {
  name: 'identity-merge',
  topic: Topics.interactions,
  types: [EventTypes.interactionRecorded.type],
  schema: InteractionRecorded,
  async handle(trx, events) {
    await mergeAnonymousHistory(trx, identityMerges(events.map((e) => e.data as InteractionRecordedData)))
  },
}
