import { hash } from 'node:crypto'
import type { AnyEvent, ProblemFieldError } from '@attune/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { BaseConfig } from '../config.ts'
import type { KitTables } from '../db/kit-tables.ts'
import { AppError } from '../errors.ts'
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

/**
 * Shares the erasure lock of a service's schema until the transaction ends: for a write computed
 * from what it reads after this (a segment evaluated over profiles), so that an erasure either
 * waits for it or has finished before it reads. Take it first in the transaction.
 */
export function shareErasureLock<DB extends KitTables>(db: Kysely<DB> | Transaction<DB>, schema: string): Promise<void> {
  return lock(db as unknown as Kysely<KitTables>, erasureLockKey(schema), 'share')
}

/** Takes the lock of erasing in this schema (held until the transaction ends); before deleting. */
export function lockForErasure<DB extends KitTables>(trx: Kysely<DB> | Transaction<DB>, lockKey: number): Promise<void> {
  return lock(trx as unknown as Kysely<KitTables>, lockKey, 'exclusive')
}

/**
 * Records that these ids were erased as of `at` (the time the erasure was asked for), in the
 * erasure's transaction, under `lockForErasure`. Kept as hashes, for `PRIVACY_TOMBSTONE_DAYS`:
 * long enough for every event about them still in flight to arrive.
 */
export async function recordErasedSubjects<DB extends KitTables>(db: Kysely<DB> | Transaction<DB>, ids: readonly string[], at: Date): Promise<void> {
  const trx = db as unknown as Kysely<KitTables>
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
 * Which of a batch's items (by index) are about an id erased at or after the item was collected
 * (`collectedAt`, ms): applying one once the erasure is done would bring back what was erased.
 * Items collected after the erasure are new data and pass. First shares the schema's erasure lock,
 * until the transaction ends, so the batch either commits before an erasure deletes (and is
 * deleted with the rest) or is checked against its tombstones; call it before the batch writes.
 *
 * Only erasures made after the batch's earliest item can drop anything, and there are usually
 * none: one small indexed read, and no `idsOf` call nor hashing, on the common path.
 */
export async function erasedAfterCollection<DB extends KitTables>(
  db: Kysely<DB> | Transaction<DB>,
  lockKey: number,
  collected: readonly number[],
  idsOf: (index: number) => readonly string[],
): Promise<Set<number>> {
  const trx = db as unknown as Kysely<KitTables>
  const erased = new Set<number>()
  if (collected.length === 0) return erased
  await lock(trx, lockKey, 'share')
  let oldest = Number.POSITIVE_INFINITY
  for (const t of collected) oldest = Math.min(oldest, t)
  const since = new Date(oldest)
  const recent = await trx.selectFrom('erasedSubjects').select('subjectHash').where('erasedAt', '>=', since).limit(1).executeTakeFirst()
  if (!recent) return erased
  const hashOf = new Map<string, string>()
  const hashesOf = collected.map((_, i) =>
    idsOf(i).map((id) => {
      let h = hashOf.get(id)
      if (h === undefined) {
        h = hashUserId(id)
        hashOf.set(id, h)
      }
      return h
    }),
  )
  const rows = await trx
    .selectFrom('erasedSubjects')
    .select(['subjectHash', 'erasedAt'])
    .where('erasedAt', '>=', since)
    .where(sql<boolean>`subject_hash = any(${[...new Set(hashOf.values())]}::text[])`)
    .execute()
  const erasedAt = new Map(rows.map((r) => [r.subjectHash, r.erasedAt.getTime()]))
  hashesOf.forEach((hashes, i) => {
    const time = collected[i] as number
    if (hashes.some((h) => (erasedAt.get(h) ?? Number.NEGATIVE_INFINITY) >= time)) erased.add(i)
  })
  return erased
}

/** The events that are not about an id erased after they were collected (`erasedAfterCollection`), in the consumer's transaction. */
export async function withoutErasedSubjects(trx: Kysely<KitTables>, events: AnyEvent[], lockKey: number): Promise<AnyEvent[]> {
  const erased = await erasedAfterCollection(trx, lockKey, events.map(collectedAt), (i) => eventSubjects(events[i] as AnyEvent))
  return erased.size === 0 ? events : events.filter((_, i) => !erased.has(i))
}

/** An id a write is about, and where its request named it. */
export interface NamedId {
  id: string
  field: string
  in: NonNullable<ProblemFieldError['in']>
}

/**
 * The 409 (naming the fields) owed to a write about an id whose erasure was asked for at or after
 * the write was received (`receivedAt`) and ran while it was in flight: what it would write is
 * erased data, and nothing would delete it again. Undefined when there is none. Shares the schema's
 * erasure lock until the transaction ends (`erasedAfterCollection`), so call it first in the
 * write's transaction. For a write that still records something else when refused (a key's
 * spend); otherwise `refuseIfErasedInFlight`.
 */
export async function erasedInFlight<DB extends KitTables>(
  trx: Kysely<DB> | Transaction<DB>,
  schema: string,
  ids: readonly NamedId[],
  receivedAt: Date,
): Promise<AppError | undefined> {
  const at = receivedAt.getTime()
  const erased = await erasedAfterCollection(
    trx,
    erasureLockKey(schema),
    ids.map(() => at),
    (i) => [(ids[i] as NamedId).id],
  )
  if (erased.size === 0) return undefined
  const message = 'was erased while this request was in flight'
  const fields = new Map([...erased].map((i) => [(ids[i] as NamedId).field, (ids[i] as NamedId).in]))
  return new AppError('conflict', 'Erased while this request was in flight: nothing was written', {
    errors: [...fields].map(([field, where]) => ({ field, in: where, message })),
  })
}

/** Throws `erasedInFlight`'s 409, if any: call it first in the write's transaction. */
export async function refuseIfErasedInFlight<DB extends KitTables>(
  trx: Kysely<DB> | Transaction<DB>,
  schema: string,
  ids: readonly NamedId[],
  receivedAt: Date,
): Promise<void> {
  const refusal = await erasedInFlight(trx, schema, ids, receivedAt)
  if (refusal) throw refusal
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
