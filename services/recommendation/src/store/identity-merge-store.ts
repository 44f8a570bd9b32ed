import { type Kysely, sql } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { IdentityMerge } from '../domain/identity-merges.ts'

type Db = Kysely<RecommendationDb>

/** The user each of `anonymousIds` was merged into (ids not merged are absent). */
export async function linkedUsers(db: Db, anonymousIds: string[]): Promise<Map<string, string>> {
  if (anonymousIds.length === 0) return new Map()
  // Shared locks: an erasure deleting one of these links waits until this batch has committed.
  const rows = await db.selectFrom('identityLinks').select(['anonymousId', 'userId']).where('anonymousId', 'in', anonymousIds).forShare().execute()
  return new Map(rows.map((r) => [r.anonymousId, r.userId]))
}

/**
 * Moves an anonymous visitor's rows to the user they turned out to be: item weights and counts add
 * up, follows keep the newer state, attributed feedback adds up; then the anonymous rows go, so
 * erasing the user erases what they did before signing in too. The link stays (the first merge of
 * an anonymous id wins, as in profiling): later anonymous events count for the user, and erasure
 * finds them.
 */
export async function mergeAnonymousHistory(db: Db, merges: IdentityMerge[], at: Date): Promise<void> {
  for (const merge of merges) {
    await db
      .insertInto('identityLinks')
      .values({ ...merge, mergedAt: at })
      .onConflict((oc) => oc.column('anonymousId').doNothing())
      .execute()
    const linked = await db.selectFrom('identityLinks').select('userId').where('anonymousId', '=', merge.anonymousId).executeTakeFirst()
    if (linked?.userId !== merge.userId) continue
    const { anonymousId, userId } = merge
    await db
      .insertInto('userItemInteractions')
      .columns(['userId', 'itemId', 'weight', 'events', 'views', 'clicks', 'negatives', 'dwellSeconds', 'firstAt', 'lastAt', 'lastType'])
      .expression((eb) =>
        eb
          .selectFrom('userItemInteractions')
          .select([
            sql<string>`${userId}::text`.as('userId'),
            'itemId',
            'weight',
            'events',
            'views',
            'clicks',
            'negatives',
            'dwellSeconds',
            'firstAt',
            'lastAt',
            'lastType',
          ])
          .where('userId', '=', anonymousId),
      )
      .onConflict((oc) =>
        oc.columns(['userId', 'itemId']).doUpdateSet({
          weight: sql`user_item_interactions.weight + excluded.weight`,
          events: sql`user_item_interactions.events + excluded.events`,
          views: sql`user_item_interactions.views + excluded.views`,
          clicks: sql`user_item_interactions.clicks + excluded.clicks`,
          negatives: sql`user_item_interactions.negatives + excluded.negatives`,
          dwellSeconds: sql`user_item_interactions.dwell_seconds + excluded.dwell_seconds`,
          firstAt: sql`least(user_item_interactions.first_at, excluded.first_at)`,
          lastType: sql`case when excluded.last_at >= user_item_interactions.last_at then excluded.last_type else user_item_interactions.last_type end`,
          lastAt: sql`greatest(user_item_interactions.last_at, excluded.last_at)`,
        }),
      )
      .execute()
    await db.deleteFrom('userItemInteractions').where('userId', '=', anonymousId).execute()

    await db
      .insertInto('follows')
      .columns(['userId', 'targetType', 'targetId', 'active', 'changedAt'])
      .expression((eb) =>
        eb
          .selectFrom('follows')
          .select([sql<string>`${userId}::text`.as('userId'), 'targetType', 'targetId', 'active', 'changedAt'])
          .where('userId', '=', anonymousId)
          .where((w) => w.not(w.and([w('targetType', '=', 'user'), w('targetId', '=', userId)]))),
      )
      .onConflict((oc) =>
        oc
          .columns(['userId', 'targetType', 'targetId'])
          .doUpdateSet({ active: sql`excluded.active`, changedAt: sql`excluded.changed_at` })
          .where(sql<boolean>`excluded.changed_at >= follows.changed_at`),
      )
      .execute()
    await db.deleteFrom('follows').where('userId', '=', anonymousId).execute()
    // Followers of the anonymous id now follow the user (unless they already have a row for the user).
    await db
      .deleteFrom('follows')
      .where('targetType', '=', 'user')
      .where('targetId', '=', anonymousId)
      .where((eb) =>
        eb.or([
          eb('userId', '=', userId),
          eb('userId', 'in', eb.selectFrom('follows as f').select('f.userId').where('f.targetType', '=', 'user').where('f.targetId', '=', userId)),
        ]),
      )
      .execute()
    await db.updateTable('follows').set({ targetId: userId }).where('targetType', '=', 'user').where('targetId', '=', anonymousId).execute()

    await db
      .insertInto('recommendationFeedback')
      .columns(['recommendationId', 'itemId', 'userId', 'views', 'clicks', 'engagements', 'negatives', 'firstAt', 'lastAt'])
      .expression((eb) =>
        eb
          .selectFrom('recommendationFeedback')
          .select(['recommendationId', 'itemId', sql<string>`${userId}::text`.as('userId'), 'views', 'clicks', 'engagements', 'negatives', 'firstAt', 'lastAt'])
          .where('userId', '=', anonymousId),
      )
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
    await db.deleteFrom('recommendationFeedback').where('userId', '=', anonymousId).execute()
  }
}
