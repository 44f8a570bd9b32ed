import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { MembershipChange } from '../domain/segment-rules.ts'
import { endMembershipsOf } from './segments-store.ts'
import { moveProfile } from './trait-aggregates-store.ts'

/** The user each anonymous id was merged into (anonymous ids not merged are absent). */
export async function linkedUsers(db: Kysely<ProfilingDb>, anonymousIds: string[]): Promise<Map<string, string>> {
  if (anonymousIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('identityLinks')
    .select(['anonymousId', 'userId'])
    .where('anonymousId', 'in', [...new Set(anonymousIds)])
    .execute()
  return new Map(rows.map((r) => [r.anonymousId, r.userId]))
}

/** The anonymous ids merged into `userId`, the latest first. */
export async function mergedAnonymousIds(db: Kysely<ProfilingDb>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('identityLinks')
    .select('anonymousId')
    .where('userId', '=', userId)
    .orderBy('mergedAt', 'desc')
    .orderBy('anonymousId')
    .execute()
  return rows.map((r) => r.anonymousId)
}

export type MergeOutcome =
  | { status: 'merged'; eventsMoved: number; membershipsEnded: MembershipChange[] }
  | { status: 'already-merged' }
  | { status: 'conflict'; userId: string }

/**
 * Merges an anonymous history into a known user: links the ids, moves the anonymous events,
 * folds the anonymous profile's aggregates into the user's, ends the anonymous id's segment
 * memberships (returned, for the caller to publish as leaves) and logs the merge. Idempotent.
 * The user's own segments are the caller's to re-evaluate; no learned membership moves to the
 * user, as the model did not compute one for it.
 */
export async function mergeIdentity(
  trx: Kysely<ProfilingDb>,
  schema: string,
  anonymousId: string,
  userId: string,
  source: 'api' | 'identify',
  now: Date,
): Promise<MergeOutcome> {
  if (anonymousId === userId) return { status: 'already-merged' }
  const existing = await trx.selectFrom('identityLinks').select('userId').where('anonymousId', '=', anonymousId).forUpdate().executeTakeFirst()
  if (existing) return existing.userId === userId ? { status: 'already-merged' } : { status: 'conflict', userId: existing.userId }
  // A concurrent transaction may link the same id first: ON CONFLICT waits for it and then yields.
  const linked = await trx
    .insertInto('identityLinks')
    .values({ anonymousId, userId, mergedAt: now })
    .onConflict((oc) => oc.column('anonymousId').doNothing())
    .returning('userId')
    .executeTakeFirst()
  if (!linked) {
    const winner = await trx.selectFrom('identityLinks').select('userId').where('anonymousId', '=', anonymousId).executeTakeFirstOrThrow()
    return winner.userId === userId ? { status: 'already-merged' } : { status: 'conflict', userId: winner.userId }
  }
  const moved = await trx.updateTable('events').set({ userId }).where('anonymousId', '=', anonymousId).where('userId', 'is', null).executeTakeFirst()
  const eventsMoved = Number(moved.numUpdatedRows)

  await moveProfile(trx, schema, anonymousId, userId, now)
  const membershipsEnded = await endMembershipsOf(trx, anonymousId)
  await trx.insertInto('mergeLog').values({ anonymousId, userId, source, eventsMoved, mergedAt: now }).execute()
  return { status: 'merged', eventsMoved, membershipsEnded }
}

export async function mergeLogPage(db: Kysely<ProfilingDb>, q: { userId?: string; limit: number; beforeId?: number }) {
  let query = db
    .selectFrom('mergeLog')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
  if (q.userId) query = query.where('userId', '=', q.userId)
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId)
  return query.execute()
}
