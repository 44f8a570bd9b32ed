import { hash } from 'node:crypto'
import type { AnyEvent } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { BaseConfig } from '../config.ts'
import type { KitTables } from '../db/kit-tables.ts'
import type { JobDefinition } from './jobs.ts'

/** sha256 hex of a user or anonymous id: what is kept of an id once it is erased. */
export function hashUserId(id: string): string {
  return hash('sha256', id, 'hex')
}

// One advisory lock per service schema, keyed (class, schema): the class keeps it apart from every
// other advisory lock (the migrations' take one bigint key), the schema from the other services
// sharing a database. Erasures are rare: while one runs, that service's consumers wait for it
// (milliseconds), and it waits for their batches in flight.
const LOCK_CLASS = 0x61747465 // 'atte'

/** The lock key of a service's schema (32-bit FNV-1a of its name). */
export function erasureLockKey(schema: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < schema.length; i++) h = Math.imul(h ^ schema.charCodeAt(i), 0x01000193)
  return h | 0
}

/**
 * Serializes erasures against the consumers applying events: an erasure takes its schema's lock
 * exclusively, a consumer's batch shares it, each until its transaction ends. So a batch either
 * commits before the erasure deletes (and is deleted with the rest), or reads the erasure's
 * tombstones after it committed.
 */
async function lock(trx: Kysely<KitTables>, key: number, mode: 'share' | 'exclusive'): Promise<void> {
  const fn = mode === 'share' ? sql`pg_advisory_xact_lock_shared` : sql`pg_advisory_xact_lock`
  await sql`select ${fn}(${LOCK_CLASS}::int, ${key}::int)`.execute(trx)
}

/** Takes the lock of erasing in this schema (held until the transaction ends); before deleting. */
export function lockForErasure(trx: Kysely<KitTables>, lockKey: number): Promise<void> {
  return lock(trx, lockKey, 'exclusive')
}

/**
 * Records that these ids were erased as of `at` (the time the erasure was asked for), in the
 * erasure's transaction, under `lockForErasure`. Kept as hashes, for `PRIVACY_TOMBSTONE_DAYS`:
 * long enough for every event about them still in flight to arrive.
 */
export async function recordErasedSubjects(trx: Kysely<KitTables>, ids: readonly string[], at: Date): Promise<void> {
  const hashes = [...new Set(ids.map(hashUserId))]
  if (hashes.length === 0) return
  await trx
    .insertInto('erasedSubjects')
    .values(hashes.map((subjectHash) => ({ subjectHash, erasedAt: at })))
    .onConflict((oc) => oc.column('subjectHash').doUpdateSet({ erasedAt: sql`greatest(erased_subjects.erased_at, excluded.erased_at)` }))
    .execute()
}

const idFields = ['userId', 'anonymousId', 'mergedAnonymousId'] as const

function addIds(out: Set<string>, value: unknown): void {
  if (typeof value !== 'object' || value === null) return
  const v = value as Record<string, unknown>
  for (const f of idFields) if (typeof v[f] === 'string') out.add(v[f])
  // A follow of a user is about the user followed too.
  if (v.targetType === 'user' && typeof v.targetId === 'string') out.add(v.targetId)
}

/**
 * The user and anonymous ids an event is about: its subject and the ids its data names, at the
 * top or in the interaction it records.
 */
export function eventSubjects(e: AnyEvent): string[] {
  const ids = new Set([e.subject])
  addIds(ids, e.data)
  if (typeof e.data === 'object' && e.data !== null) addIds(ids, (e.data as { interaction?: unknown }).interaction)
  return [...ids]
}

/**
 * When an event entered Attune: when profiling received it (`receivedAt` of an interaction, the
 * server's clock), else its time (a service's own event is dated when it was made). An event
 * collected before an erasure is from before it, whatever its client clock said; one collected
 * after it is new data, in every service as in profiling, which stores it.
 */
function collectedAt(e: AnyEvent): number {
  const receivedAt = (e.data as { receivedAt?: unknown } | null)?.receivedAt
  const received = typeof receivedAt === 'string' ? Date.parse(receivedAt) : Number.NaN
  return Number.isNaN(received) ? Date.parse(e.time) : received
}

/**
 * The events that are not about an id erased after they were collected: an event about a user,
 * collected at or before that user's erasure, arriving once the erasure is done (another topic, a
 * late partition, a redelivery) would bring back what was erased. Events collected after the
 * erasure are new data and pass. Shares the schema's erasure lock, in the consumer's transaction.
 *
 * Only erasures made after the batch's earliest collected event can drop anything, and there are usually none:
 * one small indexed read, and no hashing, on the common path.
 */
export async function withoutErasedSubjects(trx: Kysely<KitTables>, events: AnyEvent[], lockKey: number): Promise<AnyEvent[]> {
  if (events.length === 0) return events
  await lock(trx, lockKey, 'share')
  const collected = events.map(collectedAt)
  let oldest = Number.POSITIVE_INFINITY
  for (const t of collected) oldest = Math.min(oldest, t)
  const since = new Date(oldest)
  const recent = await trx.selectFrom('erasedSubjects').select('subjectHash').where('erasedAt', '>=', since).limit(1).executeTakeFirst()
  if (!recent) return events
  const hashOf = new Map<string, string>()
  const subjectsOf = new Map<string, string[]>()
  for (const e of events) {
    subjectsOf.set(
      e.id,
      eventSubjects(e).map((id) => {
        let h = hashOf.get(id)
        if (h === undefined) {
          h = hashUserId(id)
          hashOf.set(id, h)
        }
        return h
      }),
    )
  }
  const rows = await trx
    .selectFrom('erasedSubjects')
    .select(['subjectHash', 'erasedAt'])
    .where('erasedAt', '>=', since)
    .where(sql<boolean>`subject_hash = any(${[...new Set(hashOf.values())]}::text[])`)
    .execute()
  const erasedAt = new Map(rows.map((r) => [r.subjectHash, r.erasedAt.getTime()]))
  return events.filter((e, i) => {
    const time = collected[i] as number
    return !(subjectsOf.get(e.id) ?? []).some((h) => {
      const at = erasedAt.get(h)
      return at !== undefined && time <= at
    })
  })
}

/** Deletes the tombstones of erasures older than `before`; returns how many. */
export async function expireErasedSubjects(db: Kysely<KitTables>, before: Date): Promise<number> {
  const r = await db.deleteFrom('erasedSubjects').where('erasedAt', '<', before).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** The kit's job on every service that erases: tombstones go after `PRIVACY_TOMBSTONE_DAYS`. */
export function tombstoneExpiryJob(
  db: Kysely<KitTables>,
  config: Pick<BaseConfig, 'PRIVACY_TOMBSTONE_DAYS' | 'EVENT_RETENTION_INTERVAL_MS'>,
  clock: () => Date,
): JobDefinition {
  return {
    name: 'erased-subjects-expiry',
    intervalMs: config.EVENT_RETENTION_INTERVAL_MS,
    run: () => expireErasedSubjects(db, new Date(clock().getTime() - config.PRIVACY_TOMBSTONE_DAYS * 86_400_000)),
  }
}
