import { type Kysely, sql } from 'kysely'
import type { RecommendationDb } from '../db.ts'

type Db = Kysely<RecommendationDb>

/** The segment ids the user is in. */
export async function userSegments(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('userSegments').select('segmentId').where('userId', '=', userId).orderBy('segmentId').execute()
  return rows.map((r) => r.segmentId)
}

/** An item popular within segments: the summed positive weights of their members. */
export interface SegmentPopularItem {
  itemId: string
  score: number
  users: number
}

/**
 * Items the members of `segmentIds` engaged with most (positive weights only; at most `limit`,
 * default 100), for cold starts: a user with no history still has segments.
 */
export async function segmentPopularItems(db: Db, segmentIds: string[], opts: { limit?: number; since?: Date } = {}): Promise<SegmentPopularItem[]> {
  if (segmentIds.length === 0) return []
  let q = db
    .selectFrom('userSegments as s')
    .innerJoin('userItemInteractions as i', 'i.userId', 's.userId')
    .select(['i.itemId', sql<number>`sum(i.weight)`.as('score'), sql<number>`count(distinct i.user_id)::int`.as('users')])
    .where('s.segmentId', 'in', segmentIds)
    .where('i.weight', '>', 0)
    .groupBy('i.itemId')
    .orderBy('score', 'desc')
    .orderBy('i.itemId')
    .limit(opts.limit ?? 100)
  if (opts.since) q = q.where('i.lastAt', '>=', opts.since)
  return q.execute()
}
