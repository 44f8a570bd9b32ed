import type { Kysely } from 'kysely'
import type { RecommendationDb, ServedRecommendationsTable } from '../db.ts'

type Db = Kysely<RecommendationDb>

export type ServedSlate = ServedRecommendationsTable

export async function recordServed(db: Db, slate: ServedSlate): Promise<void> {
  await db.insertInto('servedRecommendations').values(slate).execute()
}

export async function findServed(db: Db, recommendationId: string): Promise<ServedSlate | undefined> {
  return db.selectFrom('servedRecommendations').selectAll().where('recommendationId', '=', recommendationId).executeTakeFirst()
}

/** Deletes slates served before `before`; returns how many. */
export async function purgeServed(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('servedRecommendations').where('servedAt', '<', before).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Live catalog state of some items: absent, hidden or expired ones are not recommendable now. */
export async function recommendableNow(db: Db, itemIds: string[], now: Date): Promise<Set<string>> {
  if (itemIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('items')
    .select('itemId')
    .where('itemId', 'in', itemIds)
    .where('hidden', '=', false)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .execute()
  return new Set(rows.map((r) => r.itemId))
}
