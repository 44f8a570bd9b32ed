import { type Kysely, sql } from 'kysely'
import type { AdsDb } from '../db.ts'
import type { ReportQuery } from '../schemas/reports.ts'

const keyColumn = { campaign: 's.campaignId', ad: 's.adId', placement: 's.placementId', day: 's.day' } as const

/** Sums of the daily rows by the chosen key, with CTR and eCPM. */
export async function report(db: Kysely<AdsDb>, q: ReportQuery) {
  const key = keyColumn[q.groupBy]
  let query = db
    .selectFrom('statsDaily as s')
    .select([
      sql<string>`${sql.ref(key)}::text`.as('key'),
      sql<number>`sum(s.impressions)::bigint`.as('impressions'),
      sql<number>`sum(s.clicks)::bigint`.as('clicks'),
      sql<number>`sum(s.spend)`.as('spend'),
    ])
    .groupBy(key)
    .orderBy(key)
  if (q.from) query = query.where('s.day', '>=', q.from)
  if (q.to) query = query.where('s.day', '<=', q.to)
  if (q.campaignId) query = query.where('s.campaignId', '=', q.campaignId)
  if (q.advertiserId) {
    const advertiserId = q.advertiserId
    query = query.where('s.campaignId', 'in', (eb) => eb.selectFrom('campaigns').select('campaignId').where('advertiserId', '=', advertiserId))
  }
  const rows = await query.limit(10000).execute()
  return rows.map((r) => {
    const impressions = Number(r.impressions)
    const clicks = Number(r.clicks)
    const spend = Number(r.spend)
    return { key: r.key, impressions, clicks, ctr: impressions > 0 ? clicks / impressions : 0, spend, ecpm: impressions > 0 ? (spend / impressions) * 1000 : 0 }
  })
}
