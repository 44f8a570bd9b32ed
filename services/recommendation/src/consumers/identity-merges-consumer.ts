import { EventTypes, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import type { IdentityMerge } from '../domain/identity-merges.ts'
import { mergeAnonymousHistory } from '../store/identity-merge-store.ts'

/** The merges announced on `attune.profiles` (`profile.updated` with `mergedAnonymousId`), each once. */
export function announcedMerges(data: unknown[]): IdentityMerge[] {
  const out = new Map<string, IdentityMerge>()
  for (const d of data) {
    const { userId, mergedAnonymousId } = (d ?? {}) as { userId?: unknown; mergedAnonymousId?: unknown }
    if (typeof userId === 'string' && typeof mergedAnonymousId === 'string' && userId !== mergedAnonymousId && !out.has(mergedAnonymousId))
      out.set(mergedAnonymousId, { anonymousId: mergedAnonymousId, userId })
  }
  return [...out.values()]
}

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
