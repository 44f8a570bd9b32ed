import { createHash } from 'node:crypto'
import type { AnyEvent } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { BaseConfig } from '../config.ts'
import type { KitTables } from '../db/kit-tables.ts'
import type { JobDefinition } from './jobs.ts'

/** sha256 hex of a user or anonymous id: what is kept of an id once it is erased. */
export function hashUserId(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}

// Advisory locks keyed by (class, bucket): the class keeps them apart from every other advisory
// lock (the migrations' take one bigint key), and 256 buckets bound the locks a batch takes.
const LOCK_CLASS = 0x61747465 // 'atte'
const BUCKETS = 256

function bucketsOf(hashes: Iterable<string>): number[] {
  const buckets = new Set<number>()
  for (const h of hashes) buckets.add(Number.parseInt(h.slice(0, 2), 16) % BUCKETS)
  // In one order everywhere, so an erasure and a consumer never wait for each other in a cycle.
  return [...buckets].sort((a, b) => a - b)
}

/**
 * Serializes the erasure of these ids against the consumers applying events about them: an
 * erasure takes the ids' locks exclusively, a consumer's batch shares them, each until its
 * transaction ends. So a batch either commits before the erasure deletes (and is deleted with the
 * rest), or reads the erasure's tombstones after it committed.
 */
async function lockSubjects(trx: Kysely<KitTables>, hashes: Iterable<string>, mode: 'share' | 'exclusive'): Promise<void> {
  const buckets = bucketsOf(hashes)
  if (buckets.length === 0) return
  const lock = mode === 'share' ? sql`pg_advisory_xact_lock_shared` : sql`pg_advisory_xact_lock`
  await sql`select count(${lock}(${LOCK_CLASS}::int, b)) from unnest(${buckets}::int[]) as b`.execute(trx)
}

/** Takes the locks of erasing these ids (held until the transaction ends). */
export function lockForErasure(trx: Kysely<KitTables>, ids: readonly string[]): Promise<void> {
  return lockSubjects(trx, new Set(ids.map(hashUserId)), 'exclusive')
}

/**
 * Records that these ids were erased as of `at` (the time the erasure was asked for), after
 * taking their locks; in the erasure's transaction, before it deletes. Kept as hashes, for
 * `PRIVACY_TOMBSTONE_DAYS`: long enough for every event about them still in flight to arrive.
 */
export async function recordErasedSubjects(trx: Kysely<KitTables>, ids: readonly string[], at: Date): Promise<void> {
  const hashes = [...new Set(ids.map(hashUserId))]
  if (hashes.length === 0) return
  // Already held when the erasure consumer locked its whole batch first (advisory locks nest).
  await lockSubjects(trx, hashes, 'exclusive')
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
 * The events that are not about an id erased after they happened: an event about a user, dated
 * at or before that user's erasure, arriving once the erasure is done (another topic, a late
 * partition, a redelivery) would bring back what was erased. Events dated after the erasure are
 * new facts and pass. Takes the ids' locks shared, in the consumer's transaction.
 */
export async function withoutErasedSubjects(trx: Kysely<KitTables>, events: AnyEvent[]): Promise<AnyEvent[]> {
  const hashesOf = new Map<string, string[]>()
  const hashOf = new Map<string, string>()
  for (const e of events) {
    const hashes: string[] = []
    for (const id of eventSubjects(e)) {
      let h = hashOf.get(id)
      if (h === undefined) {
        h = hashUserId(id)
        hashOf.set(id, h)
      }
      hashes.push(h)
    }
    hashesOf.set(e.id, hashes)
  }
  const all = [...new Set(hashOf.values())]
  if (all.length === 0) return events
  await lockSubjects(trx, all, 'share')
  const rows = await trx.selectFrom('erasedSubjects').select(['subjectHash', 'erasedAt']).where(sql<boolean>`subject_hash = any(${all}::text[])`).execute()
  if (rows.length === 0) return events
  const erasedAt = new Map(rows.map((r) => [r.subjectHash, r.erasedAt.getTime()]))
  return events.filter((e) => {
    const time = Date.parse(e.time)
    return !(hashesOf.get(e.id) ?? []).some((h) => {
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
