import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'

/**
 * Recommendation's `privacy.export` hook: what `eraseUser` deletes, as JSON: the user's per-item
 * history (under the anonymous ids merged into them too), their follows, the feedback on and the
 * slates of recommendations they were served, their mirrored preferences and segments. Who follows
 * them is other users' data: only how many do.
 */
export async function exportUser(db: Kysely<RecommendationDb>, userId: string) {
  const linked = await db.selectFrom('identityLinks').select(['anonymousId', 'mergedAt']).where('userId', '=', userId).orderBy('anonymousId').execute()
  const ids = [userId, ...linked.map((l) => l.anonymousId)]
  const interactions = await db.selectFrom('userItemInteractions').selectAll().where('userId', 'in', ids).orderBy('lastAt').orderBy('itemId').execute()
  const follows = await db
    .selectFrom('follows')
    .select(['targetType', 'targetId', 'active', 'changedAt'])
    .where('userId', 'in', ids)
    .orderBy('changedAt')
    .execute()
  const followers = await db
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('targetType', '=', 'user')
    .where('targetId', 'in', ids)
    .where('active', '=', true)
    .executeTakeFirst()
  const feedback = await db.selectFrom('recommendationFeedback').selectAll().where('userId', 'in', ids).orderBy('firstAt').execute()
  const served = await db.selectFrom('servedRecommendations').selectAll().where('userId', 'in', ids).orderBy('servedAt').execute()
  const preferences = await db.selectFrom('userPreferences').selectAll().where('userId', '=', userId).executeTakeFirst()
  const segments = await db.selectFrom('userSegments').select(['segmentId', 'since']).where('userId', '=', userId).orderBy('segmentId').execute()
  return {
    userId,
    mergedAnonymousIds: linked,
    interactions,
    follows,
    followers: Number(followers?.n ?? 0),
    feedback,
    served,
    preferences: preferences ?? null,
    segments,
  }
}
