import type { PreferencesUpdatedData } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { RecommendationDb, UserPreferencesTable } from '../db.ts'

type Db = Kysely<RecommendationDb>

/** What recommendations filter by, from a user's preferences. */
export type UserPreferences = UserPreferencesTable

/**
 * Stores the recommendation-relevant part of `preferences.updated` documents (one per user: the
 * last of the batch). A document older than the stored one is ignored. `at` is used when the
 * document has no `updatedAt`.
 */
export async function savePreferences(db: Db, docs: { data: PreferencesUpdatedData; at: Date }[]): Promise<void> {
  const latest = new Map<string, UserPreferencesTable>()
  for (const { data, at } of docs) {
    const updatedAt = data.updatedAt ? new Date(data.updatedAt) : at
    const prev = latest.get(data.userId)
    if (prev && prev.updatedAt > updatedAt) continue
    latest.set(data.userId, {
      userId: data.userId,
      followedTopics: data.followedTopics,
      mutedTopics: data.mutedTopics,
      mutedAuthors: data.mutedAuthors,
      mutedItems: data.mutedItems,
      languages: data.languages,
      nonPersonalized: data.nonPersonalized,
      updatedAt,
    })
  }
  if (latest.size === 0) return
  await db
    .insertInto('userPreferences')
    .values([...latest.values()])
    .onConflict((oc) =>
      oc
        .column('userId')
        .doUpdateSet((eb) => ({
          followedTopics: eb.ref('excluded.followedTopics'),
          mutedTopics: eb.ref('excluded.mutedTopics'),
          mutedAuthors: eb.ref('excluded.mutedAuthors'),
          mutedItems: eb.ref('excluded.mutedItems'),
          languages: eb.ref('excluded.languages'),
          nonPersonalized: eb.ref('excluded.nonPersonalized'),
          updatedAt: eb.ref('excluded.updatedAt'),
        }))
        .where((eb) => eb('excluded.updatedAt', '>=', eb.ref('userPreferences.updatedAt'))),
    )
    .execute()
}

/** The user's preferences, or undefined when they never set any (no filtering beyond the defaults). */
export async function userPreferences(db: Db, userId: string): Promise<UserPreferences | undefined> {
  return db.selectFrom('userPreferences').selectAll().where('userId', '=', userId).executeTakeFirst()
}
