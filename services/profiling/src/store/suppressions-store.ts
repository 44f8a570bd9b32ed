import { hashUserId } from '@attune/kit'
import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'

type Db = Kysely<ProfilingDb>

/** A suppression as stored for one asked-for id: when, by which erasure (if any), over how many ids. */
export interface StoredSuppression {
  suppressedAt: Date
  requestId: string | null
  /** The ids it covers: the user and the anonymous ids merged into it when it was suppressed. */
  subjects: number
}

/**
 * Suppresses a user and the anonymous ids merged into it: their collected events are refused from
 * now on. Idempotent: an id already suppressed keeps its first suppression's time and request.
 */
export async function suppress(db: Db, s: { userId: string; anonymousIds: readonly string[]; requestId: string | null; now: Date }): Promise<void> {
  const userIdHash = hashUserId(s.userId)
  const hashes = [...new Set([s.userId, ...s.anonymousIds].map(hashUserId))]
  await db
    .insertInto('suppressions')
    .values(hashes.map((subjectHash) => ({ subjectHash, userIdHash, requestId: s.requestId, suppressedAt: s.now })))
    .onConflict((oc) => oc.column('subjectHash').doNothing())
    .execute()
}

/** The suppression of an id: asked for it (with its anonymous ids), or the one covering it as an anonymous id of a user. */
export async function findSuppression(db: Db, id: string): Promise<StoredSuppression | undefined> {
  const h = hashUserId(id)
  const row = await db
    .selectFrom('suppressions')
    .select([
      sql<Date | null>`min(suppressed_at)`.as('suppressedAt'),
      sql<string | null>`min(request_id::text)`.as('requestId'),
      sql<string>`count(*)`.as('subjects'),
    ])
    .where((eb) => eb.or([eb('userIdHash', '=', h), eb('userIdHash', '=', eb.selectFrom('suppressions').select('userIdHash').where('subjectHash', '=', h))]))
    .executeTakeFirstOrThrow()
  if (row.suppressedAt === null) return undefined
  return { suppressedAt: new Date(row.suppressedAt), requestId: row.requestId, subjects: Number(row.subjects) }
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
 * Which of these ids are suppressed: one read, whose ids Postgres hashes only when any suppression
 * exists (an uncorrelated `exists` is checked once, before the scan), so collecting costs a round
 * trip and no hashing while nothing is suppressed.
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
