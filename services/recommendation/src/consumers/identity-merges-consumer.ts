import { EventTypes, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { announcedMerges } from '../domain/identity-merges.ts'
import { mergeAnonymousHistory } from '../store/identity-merge-store.ts'

/**
 * Identity merges made through profiling's API (`POST /v1/identities/merge`), which no interaction
 * carries: the anonymous history moves to the user as for an event with both ids. Applying one
 * twice changes nothing, so no inbox rows are kept for the many other `profile.updated` events.
 */
export const identityMergesConsumer: ConsumerDefinition<RecommendationDb> = {
  name: 'identity-merges',
  topic: Topics.profiles,
  types: [EventTypes.profileUpdated.type],
  idempotent: true,
  async handle(trx, events) {
    const merges = announcedMerges(events.map((e) => e.data))
    if (merges.length > 0) await mergeAnonymousHistory(trx, merges, new Date(Math.max(...events.map((e) => Date.parse(e.time)))))
  },
}
