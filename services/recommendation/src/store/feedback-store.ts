import { type Kysely, sql } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { FeedbackIncrement } from '../domain/attribution.ts'

type Db = Kysely<RecommendationDb>

/** Adds attributed counts per (recommendation, item, user). */
export async function addFeedback(db: Db, incs: FeedbackIncrement[]): Promise<void> {
  if (incs.length === 0) return
  for (let i = 0; i < incs.length; i += 5000) {
    await db
      .insertInto('recommendationFeedback')
      .values(incs.slice(i, i + 5000))
      .onConflict((oc) =>
        oc.columns(['recommendationId', 'itemId', 'userId']).doUpdateSet({
          views: sql`recommendation_feedback.views + excluded.views`,
          clicks: sql`recommendation_feedback.clicks + excluded.clicks`,
          engagements: sql`recommendation_feedback.engagements + excluded.engagements`,
          negatives: sql`recommendation_feedback.negatives + excluded.negatives`,
          firstAt: sql`least(recommendation_feedback.first_at, excluded.first_at)`,
          lastAt: sql`greatest(recommendation_feedback.last_at, excluded.last_at)`,
        }),
      )
      .execute()
  }
}

/** Feedback totals of one recommendation response. */
export interface RecommendationFeedback {
  recommendationId: string
  views: number
  clicks: number
  engagements: number
  negatives: number
  /** Distinct items that got any feedback. */
  items: number
}

/** Totals per recommendation id (ids with no feedback are absent), for CTR per response and so per scenario. */
export async function feedbackFor(db: Db, recommendationIds: string[]): Promise<Map<string, RecommendationFeedback>> {
  if (recommendationIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('recommendationFeedback')
    .select((eb) => [
      'recommendationId',
      sql<number>`sum(views)::int`.as('views'),
      sql<number>`sum(clicks)::int`.as('clicks'),
      sql<number>`sum(engagements)::int`.as('engagements'),
      sql<number>`sum(negatives)::int`.as('negatives'),
      eb.fn.count<number>('itemId').distinct().as('items'),
    ])
    .where('recommendationId', 'in', [...new Set(recommendationIds)])
    .groupBy('recommendationId')
    .execute()
  return new Map(rows.map((r) => [r.recommendationId, { ...r, items: Number(r.items) }]))
}
