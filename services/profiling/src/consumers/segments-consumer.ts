import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import { type ConsumerDefinition, enqueueEvents } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { profileIdOf } from '../store/apply-interaction-traits.ts'
import { linkedUsers } from '../store/identity-store.ts'
import { type MembershipPublisher, refreshMembershipsOf } from '../store/segment-membership-store.ts'
import { ruleSegments } from '../store/segments-store.ts'

/**
 * Keeps rule segment memberships current from `attune.interactions`. The collector applied the
 * events to traits before publishing them, so this re-evaluates every rule segment for the
 * profiles a batch touched and publishes each join and leave on `attune.profiles`. Re-evaluating
 * is idempotent (a redelivered batch finds nothing to change), so it needs no inbox.
 *
 * A user whose erasure is asked for and not complete is left out (`refreshMembershipsOf`), as when
 * a segment is made; their first event after the request completes counts.
 */
export function segmentsConsumer(deps: MembershipPublisher): ConsumerDefinition<ProfilingDb> {
  return {
    name: 'segments',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    idempotent: true,
    async handle(trx, events) {
      const now = deps.clock()
      const segments = await ruleSegments(trx)
      if (segments.length === 0) return
      const batch = events.map((e) => (e.data as InteractionRecordedData).interaction)
      const anonymousOnly = batch.flatMap((i) => (!i.userId && i.anonymousId ? [i.anonymousId] : []))
      const links = await linkedUsers(trx, anonymousOnly)
      const touched = [...new Set(batch.flatMap((i) => profileIdOf(i, links) ?? []))]
      const messages = await refreshMembershipsOf(trx, touched, segments, { topic: deps.profilesTopic, source: deps.source, now })
      await enqueueEvents(trx as Kysely<ProfilingDb>, messages)
    },
  }
}
