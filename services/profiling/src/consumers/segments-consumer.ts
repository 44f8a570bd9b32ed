import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import { type ConsumerDefinition, enqueueEvents } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { linkedUsers } from '../store/identity-store.ts'
import { membershipMessages, refreshRuleMemberships } from '../store/segment-membership-store.ts'

/**
 * Keeps rule segment memberships current from `attune.interactions`: runs after the traits
 * consumer (same batch, its own transaction), re-evaluates every rule segment for the profiles the
 * batch touched, and publishes each join and leave on `attune.profiles` in the same transaction.
 */
export function segmentsConsumer(deps: { clock: () => Date; topic: string; source: string }): ConsumerDefinition<ProfilingDb> {
  return {
    name: 'segments',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      const now = deps.clock()
      const batch = events.map((e) => (e.data as InteractionRecordedData).interaction)
      const anonymousOnly = batch.flatMap((i) => (!i.userId && i.anonymousId ? [i.anonymousId] : []))
      const links = await linkedUsers(trx, anonymousOnly)
      const touched = batch.map((i) => i.userId ?? links.get(i.anonymousId ?? '') ?? i.anonymousId ?? '').filter((id) => id !== '')
      const changes = await refreshRuleMemberships(trx, touched, now)
      await enqueueEvents(trx as Kysely<ProfilingDb>, membershipMessages(changes, { topic: deps.topic, source: deps.source, now }))
    },
  }
}
