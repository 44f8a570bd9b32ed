import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import { type UserFollows, userFollows } from '../store/follows-store.ts'
import { type HistoryEntry, userHistory } from '../store/interactions-store.ts'
import { type UserPreferences, userPreferences } from '../store/preferences-store.ts'
import { userSegments } from '../store/segments-store.ts'

/** How much of a user's history a slate folds in (most recent first). */
export const HISTORY_LIMIT = 500

/** Everything a slate needs to know about its user, read together. */
export interface UserState {
  history: HistoryEntry[]
  prefs: UserPreferences | undefined
  follows: UserFollows
  segments: string[]
}

export async function loadUserState(db: Kysely<RecommendationDb>, userId: string): Promise<UserState> {
  const [history, prefs, follows, segments] = await Promise.all([
    userHistory(db, userId, { limit: HISTORY_LIMIT }),
    userPreferences(db, userId),
    userFollows(db, userId),
    userSegments(db, userId),
  ])
  return { history, prefs, follows, segments }
}
