import { sql, type Transaction } from 'kysely'
import type { AdsDb } from '../db.ts'

export interface TrackedHit {
  kind: 'impression' | 'click'
  decisionId: string
  adId: string
  campaignId: string
  placementId: string
  feature: string
  /** Set when per-user history may be kept (personalized decision, user not erased since: see `trackHit`). */
  userId: string | undefined
  cost: number
  day: string
  at: Date
}

/**
 * Records one impression or click, once per decision (a repeat returns undefined and changes
 * nothing). The charge is taken atomically with the budget check (row lock on the campaign): a
 * campaign already at its total or daily budget is not charged again, so it ends at most one
 * price above either. Counts go to the report row, the ad's posterior (overall and for the page
 * feature) and, for personalized decisions, the user's impressions (frequency caps).
 */
export async function recordHit(trx: Transaction<AdsDb>, h: TrackedHit): Promise<{ charged: number } | undefined> {
  const fresh = await trx
    .insertInto('tracked')
    .values({ decisionId: h.decisionId, kind: h.kind, charged: 0, at: h.at })
    .onConflict((oc) => oc.doNothing())
    .returning('decisionId')
    .executeTakeFirst()
  if (!fresh) return undefined
  let charged = 0
  if (h.cost > 0) {
    const c = await trx
      .selectFrom('campaigns as c')
      .leftJoin('campaignDailySpend as d', (j) => j.onRef('d.campaignId', '=', 'c.campaignId').on('d.day', '=', h.day))
      .select(['c.spent', 'c.totalBudget', 'c.dailyBudget', 'd.spent as today'])
      .where('c.campaignId', '=', h.campaignId)
      .forUpdate('c')
      .executeTakeFirst()
    if (c && c.spent < c.totalBudget && (c.dailyBudget === null || (c.today ?? 0) < c.dailyBudget)) {
      charged = h.cost
      await trx
        .updateTable('campaigns')
        .set({ spent: sql`spent + ${charged}` })
        .where('campaignId', '=', h.campaignId)
        .execute()
      await trx
        .insertInto('campaignDailySpend')
        .values({ campaignId: h.campaignId, day: h.day, spent: charged })
        .onConflict((oc) => oc.columns(['campaignId', 'day']).doUpdateSet({ spent: sql`campaign_daily_spend.spent + excluded.spent`, updatedAt: sql`now()` }))
        .execute()
      await trx.updateTable('tracked').set({ charged }).where('decisionId', '=', h.decisionId).where('kind', '=', h.kind).execute()
    }
  }
  const imp = h.kind === 'impression' ? 1 : 0
  const clk = h.kind === 'click' ? 1 : 0
  await trx
    .insertInto('statsDaily')
    .values({ day: h.day, campaignId: h.campaignId, adId: h.adId, placementId: h.placementId, impressions: imp, clicks: clk, spend: charged })
    .onConflict((oc) =>
      oc.columns(['day', 'campaignId', 'adId', 'placementId']).doUpdateSet({
        impressions: sql`stats_daily.impressions + excluded.impressions`,
        clicks: sql`stats_daily.clicks + excluded.clicks`,
        spend: sql`stats_daily.spend + excluded.spend`,
      }),
    )
    .execute()
  const features = h.feature ? ['', h.feature] : ['']
  const adExists = await trx.selectFrom('ads').select('adId').where('adId', '=', h.adId).executeTakeFirst()
  if (adExists) {
    await trx
      .insertInto('adStats')
      .values(features.map((feature) => ({ adId: h.adId, feature, impressions: imp, clicks: clk })))
      .onConflict((oc) =>
        oc.columns(['adId', 'feature']).doUpdateSet({
          impressions: sql`ad_stats.impressions + excluded.impressions`,
          clicks: sql`ad_stats.clicks + excluded.clicks`,
          updatedAt: sql`now()`,
        }),
      )
      .execute()
  }
  if (h.userId && h.kind === 'impression') {
    await trx.insertInto('userImpressions').values({ userId: h.userId, campaignId: h.campaignId, at: h.at }).execute()
  }
  return { charged }
}

/** Drops tracking keys and per-user impressions older than `before` (caps look back at most 90 days). */
export async function purgeTracking(db: Transaction<AdsDb> | import('kysely').Kysely<AdsDb>, before: Date) {
  await db.deleteFrom('tracked').where('at', '<', before).execute()
  await db.deleteFrom('userImpressions').where('at', '<', before).execute()
}
