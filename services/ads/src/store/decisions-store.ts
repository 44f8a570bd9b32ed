import { type Kysely, type Selectable, sql } from 'kysely'
import type { AdsDb, DecisionsTable, Reason } from '../db.ts'

/** A decision as the serving path logs it (written behind): reasons as objects, the time in ms. */
export type LoggedDecision = Omit<DecisionsTable, 'reasons' | 'createdAt'> & { reasons: Reason[]; createdAt: number }

export type DecisionView = Selectable<DecisionsTable>

/** A decision as the JSON array `recordDecisions` expands in SQL, in its column order. */
type DecisionRow = [
  decisionId: string,
  requestId: string,
  placementId: string,
  adId: string,
  campaignId: string,
  userId: string | null,
  personalized: boolean,
  tier: LoggedDecision['tier'],
  value: number,
  propensity: number,
  feature: string,
  reasons: Reason[],
  copyVariantId: string | null,
  copySegmentId: string | null,
  createdAt: number,
]

/** A decision as the JSON text `recordDecisions` takes: serialized once, when it is logged. */
export function decisionRow(r: LoggedDecision): string {
  const row: DecisionRow = [
    r.decisionId,
    r.requestId,
    r.placementId,
    r.adId,
    r.campaignId,
    r.userId,
    r.personalized,
    r.tier,
    r.value,
    r.propensity,
    r.feature,
    r.reasons,
    r.copyVariantId,
    r.copySegmentId,
    r.createdAt,
  ]
  return JSON.stringify(row)
}

/** The decision `decisionId` among texts of `decisionRow` joined by commas, as the table would give it back. */
export function decisionInRows(rows: string, decisionId: string): DecisionView | undefined {
  const row = (JSON.parse(`[${rows}]`) as DecisionRow[]).find((r) => r[0] === decisionId)
  if (!row) return undefined
  const [, requestId, placementId, adId, campaignId, userId, personalized, tier, value, propensity, feature, reasons, copyVariantId, copySegmentId, at] = row
  return {
    decisionId,
    requestId,
    placementId,
    adId,
    campaignId,
    userId,
    personalized,
    tier,
    value,
    propensity,
    feature,
    reasons,
    copyVariantId,
    copySegmentId,
    createdAt: new Date(at),
  }
}

/**
 * Writes decisions (texts of `decisionRow`) in one statement per 5000, as one JSON parameter of
 * positional rows expanded in SQL: no query compiled per row or text array escaped in JS per
 * column; each row is serialized once, when logged, so what is kept until written (and for
 * `why`) is flat strings, not object graphs the garbage collector must trace and copy.
 */
export async function recordDecisions(db: Kysely<AdsDb>, rows: readonly string[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = `[${rows.slice(i, i + 5000).join(',')}]`
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
        'copyVariantId',
        'copySegmentId',
        'createdAt',
      ])
      .expression(
        sql`select (r->>0)::uuid, (r->>1)::uuid, (r->>2)::uuid, (r->>3)::uuid, (r->>4)::uuid, r->>5, (r->>6)::boolean, r->>7, (r->>8)::float8, (r->>9)::float8, r->>10, r->11, (r->>12)::uuid, (r->>13)::uuid, to_timestamp((r->>14)::float8 / 1000.0) from jsonb_array_elements(${batch}::jsonb) as r`,
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
