import { type Kysely, sql } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { PopularityIncrement } from '../domain/popularity.ts'

export async function addPopularity(db: Kysely<RecommendationDb>, increments: PopularityIncrement[]): Promise<void> {
  if (increments.length === 0) return
  await db
    .insertInto('itemPopularity')
    .values(increments)
    .onConflict((oc) =>
      oc.columns(['itemId', 'bucket']).doUpdateSet((eb) => ({
        events: eb('itemPopularity.events', '+', eb.ref('excluded.events')),
        score: eb('itemPopularity.score', '+', eb.ref('excluded.score')),
      })),
    )
    .execute()
}

export interface TrendingRow {
  itemId: string
  score: number
  events: number
}

/**
 * Items by decayed score over the window (the same formula as `decayedScore`), best first;
 * items whose net score is not positive are left out.
 */
export async function trendingItems(
  db: Kysely<RecommendationDb>,
  q: { now: Date; windowMs: number; halfLifeMs: number; limit: number; offset: number; category?: string },
): Promise<TrendingRow[]> {
  const since = new Date(q.now.getTime() - q.windowMs)
  const decayed = sql<number>`sum(score * power(0.5, greatest(0, extract(epoch from (${q.now}::timestamptz - bucket)) * 1000 - 1800000) / ${q.halfLifeMs}))`
  let query = db
    .selectFrom('itemPopularity')
    .select(['itemId', decayed.as('score'), sql<number>`sum(events)::int`.as('events')])
    .where('bucket', '>', new Date(since.getTime() - 3_600_000))
    .where('bucket', '<=', q.now)
    .groupBy('itemId')
    .having(decayed, '>', 0)
  const { category } = q
  if (category !== undefined)
    query = query.where('itemId', 'in', (eb) => eb.selectFrom('items').select('itemId').where(sql<boolean>`${category} = any(categories)`))
  return query.orderBy('score', 'desc').orderBy('itemId').limit(q.limit).offset(q.offset).execute()
}
