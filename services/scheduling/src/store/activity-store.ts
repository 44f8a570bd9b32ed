import { type Kysely, sql } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { type ActivityIncrement, BINS } from '../domain/activity-increments.ts'
import { ALL_CHANNELS } from '../domain/engagement.ts'
import { forwardWeight } from '../domain/forward-decay.ts'
import type { ActivityRow } from '../domain/user-activity.ts'
import { activityRecords, decodeActivityRecords } from './activity-records.ts'
import { textArray } from './pg-arrays.ts'

type Db = Kysely<SchedulingDb>

/** 168 float32 bins ↔ bytea. */
export function encodeBins(bins: ArrayLike<number>): Buffer {
  const f = new Float32Array(BINS)
  for (let i = 0; i < BINS; i++) f[i] = bins[i] ?? 0
  return Buffer.from(f.buffer)
}
export function decodeBins(buf: Buffer): Float32Array {
  // A view when the bytes are 4-aligned (no copy), else a copy.
  if (buf.byteOffset % 4 === 0 && buf.length >= BINS * 4) return new Float32Array(buf.buffer, buf.byteOffset, BINS)
  const copy = new Uint8Array(BINS * 4)
  copy.set(buf.subarray(0, BINS * 4))
  return new Float32Array(copy.buffer)
}

/**
 * Adds a batch's increments: user rows are read under a row lock, decayed to `now`, summed and
 * written back with one upsert (one write per user and channel per batch) — stored decayed to their
 * `updated_at`, so float32 never overflows; audience rows, shared by every consumer, stay in
 * forward-decay units (float64) and are summed in SQL, in key order so concurrent batches cannot
 * deadlock.
 */
export async function applyActivityIncrements(
  trx: Db,
  users: ActivityIncrement[],
  audiences: ActivityIncrement[],
  now: Date,
  halfLifeDays: number,
): Promise<void> {
  const nowWeight = forwardWeight(now, halfLifeDays)
  for (let i = 0; i < users.length; i += 2000) {
    const chunk = users.slice(i, i + 2000)
    const existing = await trx
      .selectFrom('activityModels')
      .selectAll()
      .where((eb) => eb.or(chunk.map((u) => eb.and([eb('userId', '=', u.key), eb('channel', '=', u.channel)]))))
      .forUpdate()
      .execute()
    const byKey = new Map(existing.map((r) => [`${r.userId}\u0000${r.channel}`, r]))
    const rows = chunk.map((u) => {
      const prev = byKey.get(`${u.key}\u0000${u.channel}`)
      const bins = prev ? decodeBins(prev.bins) : new Float32Array(BINS)
      const keep = prev ? forwardWeight(prev.updatedAt, halfLifeDays) / nowWeight : 0
      for (let h = 0; h < BINS; h++) bins[h] = (bins[h] ?? 0) * keep + (u.bins[h] ?? 0) / nowWeight
      return {
        userId: u.key,
        channel: u.channel,
        bins: encodeBins(bins),
        events: (prev?.events ?? 0) + u.events,
        firstAt: prev && prev.firstAt < u.firstAt ? prev.firstAt : u.firstAt,
        lastAt: prev && prev.lastAt > u.lastAt ? prev.lastAt : u.lastAt,
        updatedAt: now,
      }
    })
    await trx
      .insertInto('activityModels')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['userId', 'channel']).doUpdateSet((eb) => ({
          bins: eb.ref('excluded.bins'),
          events: eb.ref('excluded.events'),
          firstAt: eb.ref('excluded.firstAt'),
          lastAt: eb.ref('excluded.lastAt'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute()
  }
  if (audiences.length === 0) return
  const sorted = [...audiences].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
  await trx
    .insertInto('audienceActivity')
    .values(sorted.map((a) => ({ scope: a.key, channel: a.channel, bins: Array.from(a.bins), events: a.events, updatedAt: now })))
    .onConflict((oc) =>
      oc.columns(['scope', 'channel']).doUpdateSet({
        bins: sql<
          number[]
        >`(select array_agg(coalesce(u.a, 0) + coalesce(u.b, 0) order by u.i) from unnest(audience_activity.bins, excluded.bins) with ordinality as u(a, b, i))`,
        events: sql<number>`audience_activity.events + excluded.events`,
        updatedAt: sql<Date>`excluded.updated_at`,
      }),
    )
    .execute()
}

/**
 * The `all` and `channel` rows of each user, each query's rows as one value (see
 * `activity-records.ts`): cheap to read for a 100k-user campaign. Up to 50,000 users per query,
 * the queries at once (on a pool, Postgres reads one while the client decodes another).
 */
export async function loadUserActivity(
  db: Db,
  userIds: readonly string[],
  channel: string,
  halfLifeDays: number,
): Promise<Map<string, { all?: ActivityRow; channel?: ActivityRow }>> {
  const out = new Map<string, { all?: ActivityRow; channel?: ActivityRow }>()
  const channels = channel === ALL_CHANNELS ? [ALL_CHANNELS] : [ALL_CHANNELS, channel]
  const chunks = Array.from({ length: Math.ceil(userIds.length / 50_000) }, (_, k) => userIds.slice(k * 50_000, (k + 1) * 50_000))
  const read = async (chunk: readonly string[]) => {
    const r = await db
      .selectFrom('activityModels')
      .select(activityRecords.as('records'))
      .where('userId', '=', sql<string>`any(${textArray(chunk)}::text[])`)
      .where('channel', 'in', channels)
      .executeTakeFirst()
    if (!r?.records) return
    decodeActivityRecords(r.records, (a) => {
      const row: ActivityRow = {
        bins: a.bins,
        scale: forwardWeight(new Date(a.updatedMs), halfLifeDays),
        events: a.events,
        firstAt: new Date(a.firstMs),
        lastAt: new Date(a.lastMs),
      }
      const entry = out.get(a.userId) ?? {}
      if (a.isAll) entry.all = row
      else entry.channel = row
      out.set(a.userId, entry)
    })
  }
  await Promise.all(chunks.map(read))
  return out
}

const MIN_CHANNEL_AUDIENCE_EVENTS = 100

/** Audience rows by scope for a channel (its own row once it has 100 events, else the `all` row). */
export async function loadAudienceActivity(db: Db, scopes: readonly string[], channel: string): Promise<Map<string, ActivityRow>> {
  if (scopes.length === 0) return new Map()
  const rows = await db
    .selectFrom('audienceActivity')
    .select(['scope', 'channel', 'bins', 'events', 'updatedAt'])
    .where('scope', 'in', scopes)
    .where('channel', 'in', [ALL_CHANNELS, channel])
    .execute()
  // The channel's own audience row once it has enough events to stand on, else everything.
  const out = new Map<string, ActivityRow>()
  for (const r of rows) {
    const own = r.channel === channel && r.events >= MIN_CHANNEL_AUDIENCE_EVENTS
    if (out.has(r.scope) && !own) continue
    out.set(r.scope, { bins: r.bins, events: r.events, firstAt: r.updatedAt, lastAt: r.updatedAt })
  }
  return out
}

/** Moves a user's bins after their time zone changed (see `shiftBins`). */
export async function replaceUserBins(db: Db, userId: string, transform: (bins: Float32Array) => ArrayLike<number>): Promise<void> {
  const rows = await db.selectFrom('activityModels').select(['channel', 'bins']).where('userId', '=', userId).forUpdate().execute()
  for (const r of rows)
    await db
      .updateTable('activityModels')
      .set({ bins: encodeBins(transform(decodeBins(r.bins))) })
      .where('userId', '=', userId)
      .where('channel', '=', r.channel)
      .execute()
}
