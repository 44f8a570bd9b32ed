import type { Kysely } from 'kysely'
import type { RecommendationDb, ServedRecommendationsTable } from '../db.ts'

type Db = Kysely<RecommendationDb>

export type ServedSlate = ServedRecommendationsTable

/** Writes several slates in one statement (an id already stored is left as it is). */
export async function recordServedMany(db: Db, slates: ServedSlate[]): Promise<void> {
  if (slates.length === 0) return
  await db
    .insertInto('servedRecommendations')
    .values(slates)
    .onConflict((oc) => oc.column('recommendationId').doNothing())
    .execute()
}

export async function findServed(db: Db, recommendationId: string): Promise<ServedSlate | undefined> {
  return db.selectFrom('servedRecommendations').selectAll().where('recommendationId', '=', recommendationId).executeTakeFirst()
}

/** Deletes slates served before `before`; returns how many. */
export async function purgeServed(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('servedRecommendations').where('servedAt', '<', before).executeTakeFirst()
  return Number(r.numDeletedRows)
}
