import { boundedJsonArrays, writePieces } from '@attune/kit'
import { type Kysely, sql } from 'kysely'
import type { RecommendationDb, ServedRecommendationsTable } from '../db.ts'

type Db = Kysely<RecommendationDb>

export type ServedSlate = ServedRecommendationsTable

// A kept first page is served many times with the same id arrays: their JSON is made once.
const idsJson = new WeakMap<readonly string[], string>()

/** The id arrays of a page served many times (a kept first page): encoded once, while the page lives. */
export function keepIdsJson(...lists: readonly (readonly string[])[]): void {
  for (const ids of lists) if (!idsJson.has(ids)) idsJson.set(ids, JSON.stringify(ids))
}
const jsonOfIds = (ids: readonly string[]): string => idsJson.get(ids) ?? JSON.stringify(ids)

/** A slate as a row of the JSON the insert unpacks. */
const slateJson = (s: ServedSlate) =>
  `{"r":"${s.recommendationId}","u":${JSON.stringify(s.userId)},"s":${JSON.stringify(s.scenario)},"k":"${s.kind}","i":${jsonOfIds(s.itemIds)},"e":${jsonOfIds(s.excludedIds)},"p":${s.page},"t":"${s.servedAt.toISOString()}"}`

async function insertSlates(db: Db, rows: string): Promise<void> {
  await db
    .insertInto('servedRecommendations')
    .columns(['recommendationId', 'userId', 'scenario', 'kind', 'itemIds', 'excludedIds', 'page', 'servedAt'])
    .expression(
      sql`select x.r, x.u, x.s, x.k, x.i, x.e, x.p, x.t
          from jsonb_to_recordset(${rows}::jsonb) as x(r uuid, u text, s text, k text, i text[], e text[], p integer, t timestamptz)`,
    )
    .onConflict((oc) => oc.column('recommendationId').doNothing())
    .execute()
}

/**
 * Writes several slates (an id already stored is left as it is). They travel as JSON parameters,
 * escaping two id arrays per slate into Postgres array literals cost more than the insert; one
 * statement per MAX_PARAMETER_CHARS of them, in one transaction, so no parameter is a large
 * allocation (a 1,000-slate flush was one of ~1 MB).
 */
export async function recordServedMany(db: Db, slates: ServedSlate[]): Promise<void> {
  if (slates.length === 0) return
  await writePieces(db, boundedJsonArrays(slates.map(slateJson)), insertSlates)
}

export async function findServed(db: Db, recommendationId: string): Promise<ServedSlate | undefined> {
  return db.selectFrom('servedRecommendations').selectAll().where('recommendationId', '=', recommendationId).executeTakeFirst()
}

/** Deletes the slates served to a user (erasure, again after a write that was in flight). */
export async function eraseServedOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('servedRecommendations').where('userId', '=', userId).execute()
}

/** Deletes slates served before `before`; returns how many. */
export async function purgeServed(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('servedRecommendations').where('servedAt', '<', before).executeTakeFirst()
  return Number(r.numDeletedRows)
}
