import { type Kysely, sql } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { UserItemIncrement } from '../domain/user-item-state.ts'

type Db = Kysely<RecommendationDb>

/**
 * Applies one increment per (user, item) in one MERGE: weight = min(weight + add, cap) (see
 * UserItemIncrement), counts add up, first/last times widen, and the last type follows the last time.
 * The increments travel as one JSON parameter, so a batch of any size is one statement.
 */
export async function applyUserItemIncrements(db: Db, incs: UserItemIncrement[]): Promise<void> {
  if (incs.length === 0) return
  const rows = JSON.stringify(
    incs.map((i) => ({
      user_id: i.userId,
      item_id: i.itemId,
      add: i.add,
      cap: i.cap,
      events: i.events,
      views: i.views,
      clicks: i.clicks,
      negatives: i.negatives,
      dwell_seconds: i.dwellSeconds,
      first_at: i.firstAt.toISOString(),
      last_at: i.lastAt.toISOString(),
      last_type: i.lastType,
    })),
  )
  const source = sql<Omit<UserItemIncrement, 'firstAt' | 'lastAt'> & { firstAt: Date; lastAt: Date }>`(
    select * from json_to_recordset(${rows}::json) as r(
      user_id text, item_id text, add float8, cap float8, events int, views int, clicks int, negatives int,
      dwell_seconds float8, first_at timestamptz, last_at timestamptz, last_type text))`.as('x')
  await db
    .mergeInto('userItemInteractions as t')
    .using(source, (j) => j.onRef('t.userId', '=', 'x.userId').onRef('t.itemId', '=', 'x.itemId'))
    .whenMatched()
    .thenUpdateSet({
      weight: sql`least(t.weight + x.add, coalesce(x.cap, 'infinity'::float8))`,
      events: sql`t.events + x.events`,
      views: sql`t.views + x.views`,
      clicks: sql`t.clicks + x.clicks`,
      negatives: sql`t.negatives + x.negatives`,
      dwellSeconds: sql`t.dwell_seconds + x.dwell_seconds`,
      firstAt: sql`least(t.first_at, x.first_at)`,
      lastType: sql`case when x.last_at >= t.last_at then x.last_type else t.last_type end`,
      lastAt: sql`greatest(t.last_at, x.last_at)`,
    })
    .whenNotMatched()
    .thenInsertValues((eb) => ({
      userId: eb.ref('x.userId'),
      itemId: eb.ref('x.itemId'),
      weight: sql`least(x.add, coalesce(x.cap, 'infinity'::float8))`,
      events: eb.ref('x.events'),
      views: eb.ref('x.views'),
      clicks: eb.ref('x.clicks'),
      negatives: eb.ref('x.negatives'),
      dwellSeconds: eb.ref('x.dwellSeconds'),
      firstAt: eb.ref('x.firstAt'),
      lastAt: eb.ref('x.lastAt'),
      lastType: eb.ref('x.lastType'),
    }))
    .execute()
}

/** One item in a user's history. */
export interface HistoryEntry {
  itemId: string
  weight: number
  events: number
  lastAt: Date
}

/**
 * A user's items, most recent first (at most `limit`, default 1,000); negative weights are kept so
 * callers can both exclude and down-weight them.
 */
export async function userHistory(db: Db, userId: string, opts: { limit?: number } = {}): Promise<HistoryEntry[]> {
  return db
    .selectFrom('userItemInteractions')
    .select(['itemId', 'weight', 'events', 'lastAt'])
    .where('userId', '=', userId)
    .orderBy('lastAt', 'desc')
    .orderBy('itemId')
    .limit(opts.limit ?? 1000)
    .execute()
}

/** Every item the user has interacted with in any way (to leave out of recommendations). */
export async function seenItemIds(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('userItemInteractions').select('itemId').where('userId', '=', userId).execute()
  return new Set(rows.map((r) => r.itemId))
}

/** One training example: a user's net weight for an item and when they last touched it. */
export interface TrainingInteraction {
  userId: string
  itemId: string
  weight: number
  time: Date
}

/**
 * Every (user, item) weight, in pages of `pageSize` (default 10,000) walked by primary key, so a
 * million rows stream with bounded memory and each page is an index range scan. Rows changed
 * while walking may or may not be seen, as with any snapshot-free scan.
 */
export async function* trainingInteractions(db: Db, opts: { pageSize?: number } = {}): AsyncGenerator<TrainingInteraction[]> {
  const pageSize = opts.pageSize ?? 10_000
  let after: { userId: string; itemId: string } | undefined
  for (;;) {
    let q = db.selectFrom('userItemInteractions').select(['userId', 'itemId', 'weight', 'lastAt as time']).orderBy('userId').orderBy('itemId').limit(pageSize)
    if (after) q = q.where(sql<boolean>`(user_id, item_id) > (${after.userId}, ${after.itemId})`)
    const page = await q.execute()
    if (page.length > 0) yield page
    const last = page[page.length - 1]
    if (!last || page.length < pageSize) return
    after = { userId: last.userId, itemId: last.itemId }
  }
}
