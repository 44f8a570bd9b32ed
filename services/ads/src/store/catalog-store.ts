import { type Kysely, sql } from 'kysely'
import type { AdsDb } from '../db.ts'
import { loadApprovedCopy } from './copy-variants-store.ts'

/** Everything a replica holds in memory to decide: running campaigns with their advertiser, their active ads, counts and today's spend. */
export async function loadCatalog(db: Kysely<AdsDb>, now: Date, day: string) {
  const campaigns = await db
    .selectFrom('campaigns as c')
    .innerJoin('advertisers as a', 'a.advertiserId', 'c.advertiserId')
    .leftJoin('campaignDailySpend as d', (j) => j.onRef('d.campaignId', '=', 'c.campaignId').on('d.day', '=', day))
    .select([
      'c.campaignId',
      'c.advertiserId',
      'a.name as advertiserName',
      'a.blockedCategories',
      'c.name',
      'c.tier',
      'c.priceModel',
      'c.price',
      'c.pacing',
      'c.totalBudget',
      'c.dailyBudget',
      'c.spent',
      'd.spent as spentToday',
      'c.startAt',
      'c.endAt',
      'c.targeting',
      'c.frequencyCap',
      'c.placementIds',
    ])
    .where('c.status', '=', 'active')
    .where((eb) => eb.or([eb('c.endAt', 'is', null), eb('c.endAt', '>', now)]))
    .execute()
  const ads = await db
    .selectFrom('ads as ad')
    .innerJoin('campaigns as c', 'c.campaignId', 'ad.campaignId')
    .select(['ad.adId', 'ad.campaignId', 'ad.title', 'ad.body', 'ad.imageUrl', 'ad.clickUrl', 'ad.format', 'ad.categories'])
    .where('ad.status', '=', 'active')
    .where('c.status', '=', 'active')
    .where((eb) => eb.or([eb('c.endAt', 'is', null), eb('c.endAt', '>', now)]))
    .execute()
  const stats = await db
    .selectFrom('adStats as s')
    .innerJoin('ads as ad', 'ad.adId', 's.adId')
    .innerJoin('campaigns as c', 'c.campaignId', 'ad.campaignId')
    .select(['s.adId', 's.feature', 's.impressions', 's.clicks'])
    .where('c.status', '=', 'active')
    .execute()
  const copies = await loadApprovedCopy(db)
  return { campaigns, ads, stats, copies }
}

export type CatalogRows = Awaited<ReturnType<typeof loadCatalog>>

/** Changes whenever anything a full reload reads changes (rows added, edited or deleted). */
export async function catalogVersion(db: Kysely<AdsDb>): Promise<string> {
  const summary = (table: 'campaigns' | 'ads' | 'advertisers' | 'placements' | 'copyVariants', column: 'updatedAt' | 'createdAt') =>
    db
      .selectFrom(table)
      .select((eb) => [eb.fn.countAll<number>().as('n'), sql<string>`coalesce(max(${sql.ref(column)})::text, '')`.as('at')])
      .executeTakeFirstOrThrow()
      .then((r) => `${r.n}:${r.at}`)
  const parts = await Promise.all([
    summary('campaigns', 'updatedAt'),
    summary('ads', 'updatedAt'),
    summary('advertisers', 'updatedAt'),
    summary('placements', 'createdAt'),
    summary('copyVariants', 'updatedAt'),
  ])
  return parts.join('|')
}

/** Spend and counts that changed since `since` (database time), and the database's time now. */
export async function loadChanges(db: Kysely<AdsDb>, day: string, since: Date) {
  const [{ rows }, spend, stats] = await Promise.all([
    sql<{ now: Date }>`select now() as now`.execute(db),
    db
      .selectFrom('campaignDailySpend as d')
      .innerJoin('campaigns as c', 'c.campaignId', 'd.campaignId')
      .select(['d.campaignId', 'c.spent', 'd.spent as today'])
      .where('d.day', '=', day)
      .where('d.updatedAt', '>', since)
      .execute(),
    db.selectFrom('adStats').select(['adId', 'feature', 'impressions', 'clicks']).where('updatedAt', '>', since).execute(),
  ])
  return { now: rows[0]?.now ?? new Date(), spend, stats }
}

export type CatalogChanges = Awaited<ReturnType<typeof loadChanges>>
