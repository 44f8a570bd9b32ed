import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'

type Db = Kysely<RecommendationDb>

/**
 * Recommendation's `privacy.erase` hook: every row about the user — interactions, follows in both
 * directions (theirs, and others following them as a user), feedback on recommendations they got,
 * preferences, segment memberships and what was served to them, also under the anonymous ids merged
 * into them (and those links). Idempotent; an unknown user is a no-op. A new table of user
 * data adds its delete here in the same change.
 */
export async function eraseUser(trx: Db, userId: string): Promise<void> {
  // The anonymous ids merged into the user are theirs too (rows recorded under one after its merge).
  const linked = await trx.deleteFrom('identityLinks').where('userId', '=', userId).returning('anonymousId').execute()
  // The id may itself be an anonymous one (the kit erases those an erasure request names).
  await trx.deleteFrom('identityLinks').where('anonymousId', '=', userId).execute()
  const ids = [userId, ...linked.map((l) => l.anonymousId)]
  await trx.deleteFrom('userItemInteractions').where('userId', 'in', ids).execute()
  await trx.deleteFrom('follows').where('userId', 'in', ids).execute()
  await trx.deleteFrom('follows').where('targetType', '=', 'user').where('targetId', 'in', ids).execute()
  await trx.deleteFrom('recommendationFeedback').where('userId', 'in', ids).execute()
  await trx.deleteFrom('userPreferences').where('userId', '=', userId).execute()
  await trx.deleteFrom('userSegments').where('userId', '=', userId).execute()
  await trx.deleteFrom('servedRecommendations').where('userId', 'in', ids).execute()
}
