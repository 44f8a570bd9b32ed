import { EventTypes, Topics } from '@attune/contracts'
import { makeEvent } from '@attune/kit'

/** A merge profiling made: the anonymous visitor is now known as the user. */
export interface IdentityMerge {
  anonymousId: string
  userId: string
}

/**
 * The announcement of a merge on `attune.profiles` (`profile.updated` with `mergedAnonymousId`),
 * whether it came from the API or from an event carrying both ids: the other services follow
 * profiling's merges instead of deciding their own, so an anonymous id shared by two users (one
 * device) ends with the same user everywhere, and that user's erasure takes it everywhere.
 */
export function identityMergedMessage(source: string, topic: (t: typeof Topics.profiles) => string, m: IdentityMerge, at: Date) {
  return {
    topic: topic(Topics.profiles),
    key: m.userId,
    event: makeEvent(
      { ...EventTypes.profileUpdated, source, subject: m.userId, data: { userId: m.userId, changed: ['identity'], mergedAnonymousId: m.anonymousId } },
      at,
    ),
  }
}
