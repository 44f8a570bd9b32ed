import { type Kysely, sql, type Transaction } from 'kysely'
import type { AdsDb } from '../db.ts'

// Each function takes a whole batch of hits, with one statement per table. Every multi-row write goes in
// the order of its conflict key, so two batches in flight (or two replicas) lock rows in the same
// order and cannot deadlock. Keys are ids joined by \0, which sorts as the tuple of ids.

export type HitKind = 'impression' | 'click'

/** A hit as `tracked` keys it: a decision counts once per kind. */
export interface HitKey {
  decisionId: string
  kind: HitKind
}

/** A counted hit, with what it was charged. */
export interface CountedHit extends HitKey {
  adId: string
  campaignId: string
  placementId: string
  feature: string
  /** Set when per-user history may be kept (personalized decision, user not erased since: see `trackHit`). */
  userId: string | undefined
  charged: number
  day: string
  at: Date
}

/** A campaign's budgets and spend, locked until the transaction ends; `spentOn` per day asked for (missing: 0). */
export interface LockedCampaign {
  spent: number
  totalBudget: number
  dailyBudget: number | null
  spentOn: Map<string, number>
}

const keyOf = (...ids: string[]) => ids.join('\u0000')
const byKey = <R>(rows: Map<string, R>): R[] => [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r)

/** The row of `key`, made by `make` the first time. */
function rowOf<R>(rows: Map<string, R>, key: string, make: () => R): R {
  let r = rows.get(key)
  if (r === undefined) {
    r = make()
    rows.set(key, r)
  }
  return r
}

/** Postgres reads a UUID in any case, with or without hyphens or braces, and returns it lowercase and hyphenated. */
const uuidKey = (id: string) => id.toLowerCase().replace(/[{}-]/g, '')

/**
 * Which hits are the first of their decision and kind, in one insert into `tracked` (charged 0 until
 * `recordCharges`): false for a repeat, whether stored before or earlier in `hits`.
 */
export async function insertFirstHits(trx: Transaction<AdsDb>, hits: readonly (HitKey & { at: Date })[]): Promise<boolean[]> {
  const first = new Map<string, number>()
  hits.forEach((h, i) => {
    const key = keyOf(uuidKey(h.decisionId), h.kind)
    if (!first.has(key)) first.set(key, i)
  })
  const fresh = hits.map(() => false)
  if (first.size === 0) return fresh
  const rows = byKey(first).map((i) => hits[i] as HitKey & { at: Date })
  const inserted = await trx
    .insertInto('tracked')
    .values(rows.map((h) => ({ decisionId: h.decisionId, kind: h.kind, charged: 0, at: h.at })))
    .onConflict((oc) => oc.doNothing())
    .returning(['decisionId', 'kind'])
    .execute()
  for (const r of inserted) {
    const i = first.get(keyOf(uuidKey(r.decisionId), r.kind))
    if (i !== undefined) fresh[i] = true
  }
  return fresh
}

/** The campaigns' budgets and spend (total, and on each of `days`), their rows locked in id order. */
export async function lockCampaignBudgets(
  trx: Transaction<AdsDb>,
  campaignIds: readonly string[],
  days: readonly string[],
): Promise<Map<string, LockedCampaign>> {
  const out = new Map<string, LockedCampaign>()
  if (campaignIds.length === 0 || days.length === 0) return out
  const campaigns = await trx
    .selectFrom('campaigns')
    .select(['campaignId', 'spent', 'totalBudget', 'dailyBudget'])
    .where('campaignId', 'in', campaignIds)
    .orderBy('campaignId')
    .forUpdate()
    .execute()
  for (const c of campaigns) out.set(c.campaignId, { spent: c.spent, totalBudget: c.totalBudget, dailyBudget: c.dailyBudget, spentOn: new Map() })
  // Read once the locks are held, by a statement of its own: it sees what the transaction that held
  // a lock before committed. Joined to the locking select, the daily spend came from that
  // statement's snapshot, taken before the wait (only the locked row itself is read again), and
  // a second hit charged past a daily budget the first had just reached.
  const daily = await trx
    .selectFrom('campaignDailySpend')
    .select(['campaignId', 'day', 'spent'])
    .where('campaignId', 'in', campaignIds)
    .where('day', 'in', days)
    .execute()
  for (const d of daily) out.get(d.campaignId)?.spentOn.set(d.day, d.spent)
  return out
}

/** Adds the hits' charges (those over 0) to their campaigns' spend, total and daily, and to their `tracked` rows. */
export async function recordCharges(trx: Transaction<AdsDb>, hits: readonly (HitKey & { campaignId: string; day: string; charged: number })[]): Promise<void> {
  const charged = hits.filter((h) => h.charged > 0)
  if (charged.length === 0) return
  const campaigns = new Map<string, { campaignId: string; amount: number }>()
  const daily = new Map<string, { campaignId: string; day: string; spent: number }>()
  const tracked = new Map<string, HitKey & { charged: number }>()
  for (const h of charged) {
    rowOf(campaigns, h.campaignId, () => ({ campaignId: h.campaignId, amount: 0 })).amount += h.charged
    rowOf(daily, keyOf(h.campaignId, h.day), () => ({ campaignId: h.campaignId, day: h.day, spent: 0 })).spent += h.charged
    tracked.set(keyOf(uuidKey(h.decisionId), h.kind), { decisionId: h.decisionId, kind: h.kind, charged: h.charged })
  }
  // The sums as arrays, one per column (unnest), so each update is one statement of three parameters at most.
  const spend = byKey(campaigns)
  const spendOf = sql<{ campaignId: string; amount: number }>`unnest(${spend.map((c) => c.campaignId)}::uuid[], ${spend.map((c) => c.amount)}::float8[])`
  await trx
    .updateTable('campaigns')
    .from(spendOf.as<'v'>(sql`v(campaign_id, amount)`))
    .set({ spent: sql`campaigns.spent + v.amount` })
    .whereRef('campaigns.campaignId', '=', 'v.campaignId')
    .execute()
  await trx
    .insertInto('campaignDailySpend')
    .values(byKey(daily))
    .onConflict((oc) => oc.columns(['campaignId', 'day']).doUpdateSet({ spent: sql`campaign_daily_spend.spent + excluded.spent`, updatedAt: sql`now()` }))
    .execute()
  const rows = byKey(tracked)
  const ids = rows.map((r) => r.decisionId)
  const kinds = rows.map((r) => r.kind)
  const chargeOf = sql<HitKey & { charged: number }>`unnest(${ids}::uuid[], ${kinds}::text[], ${rows.map((r) => r.charged)}::float8[])`
  await trx
    .updateTable('tracked')
    .from(chargeOf.as<'v'>(sql`v(decision_id, kind, charged)`))
    .set({ charged: sql`v.charged` })
    .whereRef('tracked.decisionId', '=', 'v.decisionId')
    .whereRef('tracked.kind', '=', 'v.kind')
    .execute()
}

/**
 * Counts the hits in the report rows, the ads' posteriors (overall and for the page feature; ads
 * that still exist) and, for personalized impressions, the users' impressions (frequency caps).
 */
export async function recordCounts(trx: Transaction<AdsDb>, hits: readonly CountedHit[]): Promise<void> {
  if (hits.length === 0) return
  const stats = new Map<string, { day: string; campaignId: string; adId: string; placementId: string; impressions: number; clicks: number; spend: number }>()
  const perAd = new Map<string, { adId: string; feature: string; impressions: number; clicks: number }>()
  for (const h of hits) {
    const imp = h.kind === 'impression' ? 1 : 0
    const clk = 1 - imp
    const s = rowOf(stats, keyOf(h.day, h.campaignId, h.adId, h.placementId), () => ({
      day: h.day,
      campaignId: h.campaignId,
      adId: h.adId,
      placementId: h.placementId,
      impressions: 0,
      clicks: 0,
      spend: 0,
    }))
    s.impressions += imp
    s.clicks += clk
    s.spend += h.charged
    for (const feature of h.feature ? ['', h.feature] : ['']) {
      const a = rowOf(perAd, keyOf(h.adId, feature), () => ({ adId: h.adId, feature, impressions: 0, clicks: 0 }))
      a.impressions += imp
      a.clicks += clk
    }
  }
  await trx
    .insertInto('statsDaily')
    .values(byKey(stats))
    .onConflict((oc) =>
      oc.columns(['day', 'campaignId', 'adId', 'placementId']).doUpdateSet({
        impressions: sql`stats_daily.impressions + excluded.impressions`,
        clicks: sql`stats_daily.clicks + excluded.clicks`,
        spend: sql`stats_daily.spend + excluded.spend`,
      }),
    )
    .execute()
  const adIds = [...new Set(hits.map((h) => h.adId))]
  const existing = new Set((await trx.selectFrom('ads').select('adId').where('adId', 'in', adIds).execute()).map((r) => uuidKey(r.adId)))
  const adRows = byKey(perAd).filter((r) => existing.has(uuidKey(r.adId)))
  if (adRows.length > 0) {
    await trx
      .insertInto('adStats')
      .values(adRows)
      .onConflict((oc) =>
        oc.columns(['adId', 'feature']).doUpdateSet({
          impressions: sql`ad_stats.impressions + excluded.impressions`,
          clicks: sql`ad_stats.clicks + excluded.clicks`,
          updatedAt: sql`now()`,
        }),
      )
      .execute()
  }
  const impressions = hits.flatMap((h) => (h.userId && h.kind === 'impression' ? [{ userId: h.userId, campaignId: h.campaignId, at: h.at }] : []))
  if (impressions.length > 0) await trx.insertInto('userImpressions').values(impressions).execute()
}

/** Drops tracking keys and per-user impressions older than `before` (caps look back at most 90 days). */
export async function purgeTracking(db: Transaction<AdsDb> | Kysely<AdsDb>, before: Date) {
  await db.deleteFrom('tracked').where('at', '<', before).execute()
  await db.deleteFrom('userImpressions').where('at', '<', before).execute()
}
