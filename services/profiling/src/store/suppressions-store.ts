import { hashUserId } from '@attune/kit'
import { type Expression, type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'

type Db = Kysely<ProfilingDb>

/** A suppression as stored for one asked-for id: when, by which erasure (if any), over how many ids. */
export interface StoredSuppression {
  suppressedAt: Date
  requestId: string | null
  /** The ids suppressed for the same user: the user and its anonymous ids. */
  subjects: number
}

/**
 * Suppresses a user and the anonymous ids merged into it: their collected events are refused from
 * now on. Idempotent: an id already suppressed keeps its first suppression's time and request.
 */
export function suppress(db: Db, s: { userId: string; anonymousIds: readonly string[]; requestId: string | null; now: Date }): Promise<void> {
  return insertSubjects(db, [s.userId, ...s.anonymousIds], { userIdHash: hashUserId(s.userId), requestId: s.requestId, suppressedAt: s.now })
}

/** Suppresses these ids for one user (its hash); an id already suppressed keeps its row. */
async function insertSubjects(
  db: Db,
  ids: readonly string[],
  owner: { userIdHash: string; requestId: string | null; suppressedAt: Date | Expression<Date> },
): Promise<void> {
  const hashes = [...new Set(ids.map(hashUserId))]
  if (hashes.length === 0) return
  await db
    .insertInto('suppressions')
    .values(hashes.map((subjectHash) => ({ subjectHash, ...owner })))
    .onConflict((oc) => oc.column('subjectHash').doNothing())
    .execute()
}

/** The row of an id itself (asked for it, or for the user it was merged into), if it is suppressed. */
function ownRow(db: Db, id: string) {
  return db.selectFrom('suppressions').select(['userIdHash', 'suppressedAt', 'requestId']).where('subjectHash', '=', hashUserId(id)).executeTakeFirst()
}

/**
 * The suppression of an id, as enforced: its own row (asked for it, or for the user it was merged
 * into), with the count of ids suppressed for that same user.
 */
export async function findSuppression(db: Db, id: string): Promise<StoredSuppression | undefined> {
  const own = await ownRow(db, id)
  if (!own) return undefined
  const group = await db
    .selectFrom('suppressions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('userIdHash', '=', own.userIdHash)
    .executeTakeFirstOrThrow()
  return { suppressedAt: own.suppressedAt, requestId: own.requestId, subjects: Number(group.n) }
}

/**
 * Erasure step: a suppressed user's anonymous ids join its suppression before the erasure deletes
 * the links that name them (a suppression asked while the erasure was pending, or links made
 * since the suppression). Nothing when the user is not suppressed.
 */
export async function extendSuppression(db: Db, userId: string, anonymousIds: readonly string[]): Promise<void> {
  if (anonymousIds.length === 0) return
  const own = await ownRow(db, userId)
  if (own) await insertSubjects(db, anonymousIds, { userIdHash: own.userIdHash, requestId: own.requestId, suppressedAt: sql<Date>`now()` })
}

/** Lifts the suppression of an id and, for a user, of its anonymous ids suppressed with it; false when there was none. */
export async function liftSuppression(db: Db, id: string): Promise<boolean> {
  const h = hashUserId(id)
  const deleted = await db
    .deleteFrom('suppressions')
    .where((eb) => eb.or([eb('userIdHash', '=', h), eb('subjectHash', '=', h)]))
    .executeTakeFirst()
  return deleted.numDeletedRows > 0n
}

/**
 * Which of these ids are suppressed: one read, whose ids Postgres hashes (sha256 of the UTF-8, as
 * `hashUserId`; a test with a non-ASCII id holds them together) only when any suppression exists
 * (an uncorrelated `exists` is checked once, before the scan): no hashing while none does.
 */
export async function suppressedIds(db: Db, ids: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(ids)]
  if (list.length === 0) return new Set()
  const rows = await db
    .selectFrom(sql<{ x: string }>`unnest(${list}::text[])`.as('x'))
    .select(sql<string>`x`.as('id'))
    .where(({ exists, selectFrom }) => exists(selectFrom('suppressions').select(sql.lit(1).as('one'))))
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('suppressions').select(sql.lit(1).as('one')).where('subjectHash', '=', sql<string>`encode(sha256(convert_to(x, 'UTF8')), 'hex')`)),
    )
    .execute()
  return new Set(rows.map((r) => r.id))
}
