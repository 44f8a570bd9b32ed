import { type Insertable, type Kysely, type Selectable, sql } from 'kysely'
import type { AdsDb, DecisionsTable } from '../db.ts'

export type DecisionRow = Insertable<DecisionsTable>
export type DecisionView = Selectable<DecisionsTable>

/**
 * Writes decisions in one statement per 5000, as column arrays through `unnest` (13 parameters
 * however many rows: a row-per-values insert spent milliseconds compiling on the serving thread).
 */
export async function recordDecisions(db: Kysely<AdsDb>, rows: DecisionRow[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const b = rows.slice(i, i + 5000)
    const col = <T>(f: (r: DecisionRow) => T) => b.map(f)
    await db
      .insertInto('decisions')
      .columns([
        'decisionId',
        'requestId',
        'placementId',
        'adId',
        'campaignId',
        'userId',
        'personalized',
        'tier',
        'value',
        'propensity',
        'feature',
        'reasons',
        'createdAt',
      ])
      .expression(
        sql`select * from unnest(${col((r) => r.decisionId)}::uuid[], ${col((r) => r.requestId)}::uuid[], ${col((r) => r.placementId)}::uuid[], ${col((r) => r.adId)}::uuid[], ${col((r) => r.campaignId)}::uuid[], ${col((r) => r.userId ?? null)}::text[], ${col((r) => r.personalized)}::boolean[], ${col((r) => r.tier)}::text[], ${col((r) => r.value)}::float8[], ${col((r) => r.propensity)}::float8[], ${col((r) => r.feature)}::text[], ${col((r) => r.reasons)}::jsonb[], ${col((r) => (r.createdAt as Date).toISOString())}::timestamptz[])`,
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

export function findDecision(db: Kysely<AdsDb>, decisionId: string) {
  return db.selectFrom('decisions').selectAll().where('decisionId', '=', decisionId).executeTakeFirst()
}

export async function purgeDecisions(db: Kysely<AdsDb>, before: Date) {
  await db.deleteFrom('decisions').where('createdAt', '<', before).execute()
}
