import { EventTypes, type SegmentMembershipChangedData } from '@attune/contracts'
import { makeEvent, type OutboxMessage } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { buildFacts, evaluateRule, type MembershipChange, membershipChanges, type SegmentRule } from '../domain/segment-rules.ts'
import { usersBeingErased } from './privacy-requests-store.ts'
import { applyMembershipChanges, currentMemberships, readTraitRowsFor, ruleSegments } from './segments-store.ts'

type Db = Kysely<ProfilingDb>

/**
 * Re-evaluates rule segments (all of them unless given) for these profiles and records who joined
 * and who left; returns the changes. A profile that no longer exists matches nothing.
 */
export async function refreshRuleMemberships(
  db: Db,
  userIds: string[],
  now: Date,
  segments?: { id: string; rule: SegmentRule }[],
): Promise<MembershipChange[]> {
  const segs = segments ?? (await ruleSegments(db))
  const ids = [...new Set(userIds)]
  if (segs.length === 0 || ids.length === 0) return []
  const rows = await readTraitRowsFor(db, ids, now)
  const evaluated: { segmentId: string; userId: string; matches: boolean }[] = []
  for (const userId of ids) {
    const r = rows.get(userId)
    const facts = r ? buildFacts(r, now) : undefined
    for (const s of segs) evaluated.push({ segmentId: s.id, userId, matches: facts ? evaluateRule(s.rule, facts) : false })
  }
  const changes = membershipChanges(
    evaluated,
    await currentMemberships(
      db,
      segs.map((s) => s.id),
      ids,
    ),
  )
  await applyMembershipChanges(db, changes, now)
  return changes
}

/** One `segment.membership-changed` per change, keyed by user, for the outbox. */
export function membershipMessages(changes: MembershipChange[], o: { topic: string; source: string; now: Date }): OutboxMessage[] {
  return changes.map((c) => ({
    topic: o.topic,
    key: c.userId,
    event: makeEvent<SegmentMembershipChangedData>(
      { ...EventTypes.segmentMembershipChanged, source: o.source, subject: c.userId, data: { segmentId: c.segmentId, userId: c.userId, change: c.change } },
      o.now,
    ),
  }))
}

/** What a consumer that re-evaluates rule segments needs to publish the changes on `attune.profiles`. */
export interface MembershipPublisher {
  clock: () => Date
  profilesTopic: string
  source: string
}

/**
 * Re-evaluates these rule segments for these profiles, records the changes and returns their
 * messages, to publish in the same transaction. A user whose erasure is asked for and not complete
 * (`usersBeingErased`) is left out: the profile may still hold what the erasure will delete, and a
 * service whose erasure already ran would keep a change computed from it (dated after the request,
 * it reads as new data there). Their memberships stay as they are (profiling's erasure deletes them).
 *
 * The transaction must share the erasure lock before this (`shareErasureLock`; the kit's runner
 * does for consumers of user topics): an erasure request takes it exclusively before dating itself,
 * so it is either seen pending here or dated after these changes.
 */
export async function refreshMembershipsOf(
  db: Db,
  userIds: string[],
  segments: { id: string; rule: SegmentRule }[],
  o: { topic: string; source: string; now: Date },
): Promise<OutboxMessage[]> {
  const beingErased = await usersBeingErased(db, userIds)
  const present = beingErased.size === 0 ? userIds : userIds.filter((u) => !beingErased.has(u))
  return membershipMessages(await refreshRuleMemberships(db, present, o.now, segments), o)
}

/** `refreshMembershipsOf` over every rule segment; nothing is read about the users when there is none. */
export async function refreshRuleSegmentsOf(db: Db, userIds: string[], o: { topic: string; source: string; now: Date }): Promise<OutboxMessage[]> {
  const segments = await ruleSegments(db)
  return segments.length === 0 ? [] : refreshMembershipsOf(db, userIds, segments, o)
}
