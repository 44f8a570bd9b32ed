import { EventTypes, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { announcedMerges } from '../domain/identity-merges.ts'
import { mergeAnonymousHistory } from '../store/identity-merge-store.ts'

/**
 * The identity merges profiling made and announced (`profile.updated` with `mergedAnonymousId`):
 * through its API, or on an event carrying both ids. The anonymous history moves to the user, and
 * later anonymous events count for it. Only profiling decides: when two users claim one anonymous
 * id, its first merge is the one announced, so both services (and an erasure) agree. Applying one
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
