import { type Kysely, sql } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { FollowChange } from '../domain/follows.ts'

type Db = Kysely<RecommendationDb>

/** Records follows and unfollows; a change older than the stored one is ignored, so late events cannot undo newer ones. */
export async function applyFollowChanges(db: Db, changes: FollowChange[]): Promise<void> {
  if (changes.length === 0) return
  // One (user, target) appears at most once per batch (followChanges keeps the last), as ON CONFLICT requires.
  for (let i = 0; i < changes.length; i += 5000) {
    await db
      .insertInto('follows')
      .values(changes.slice(i, i + 5000))
      .onConflict((oc) =>
        oc
          .columns(['userId', 'targetType', 'targetId'])
          .doUpdateSet({ active: sql`excluded.active`, changedAt: sql`excluded.changed_at` })
          .where(sql<boolean>`excluded.changed_at >= follows.changed_at`),
      )
      .execute()
  }
}

/** Whom the user follows now. */
export interface UserFollows {
  authors: string[]
  users: string[]
}

export async function userFollows(db: Db, userId: string): Promise<UserFollows> {
  const rows = await db
    .selectFrom('follows')
    .select(['targetType', 'targetId'])
    .where('userId', '=', userId)
    .where('active', '=', true)
    .orderBy('targetType')
    .orderBy('targetId')
    .execute()
  return {
    authors: rows.filter((r) => r.targetType === 'author').map((r) => r.targetId),
    users: rows.filter((r) => r.targetType === 'user').map((r) => r.targetId),
  }
}

/** Users who follow an author or a user now (at most `limit`, default 10,000). */
export async function followersOf(db: Db, targetType: 'author' | 'user', targetId: string, opts: { limit?: number } = {}): Promise<string[]> {
  const rows = await db
    .selectFrom('follows')
    .select('userId')
    .where('targetType', '=', targetType)
    .where('targetId', '=', targetId)
    .where('active', '=', true)
    .orderBy('userId')
    .limit(opts.limit ?? 10_000)
    .execute()
  return rows.map((r) => r.userId)
}

/**
 * Items the given users engaged with positively since `since`, by how many of them did, then how
 * recently (the social part of a feed).
 */
export async function engagedByUsers(
  db: Db,
  userIds: string[],
  opts: { since: Date; limit: number },
): Promise<{ itemId: string; users: number; lastAt: Date }[]> {
  if (userIds.length === 0) return []
  return db
    .selectFrom('userItemInteractions')
    .select((eb) => ['itemId', eb.fn.count<number>('userId').distinct().as('users'), eb.fn.max('lastAt').as('lastAt')])
    .where('userId', 'in', userIds)
    .where('weight', '>', 0)
    .where('lastAt', '>=', opts.since)
    .groupBy('itemId')
    .orderBy('users', 'desc')
    .orderBy('lastAt', 'desc')
    .limit(opts.limit)
    .execute()
}
