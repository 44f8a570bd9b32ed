import { timeOfOrderedId } from '@attune/kit'
import { type Kysely, type Selectable, sql } from 'kysely'
import type { AdsDb, DecisionsTable, Reason, StoredDecision, Tier } from '../db.ts'

/** One decision of a request as the serving path logs it. */
export interface LoggedChoice {
  decisionId: string
  placementId: string
  adId: string
  campaignId: string
  tier: Tier
  value: number
  propensity: number
  feature: string
  reasons: Reason[]
  copyVariantId: string | null
  copySegmentId: string | null
}

/** A request's decisions as the serving path logs them (written behind, one row): the time in ms. */
export interface LoggedRequest {
  requestId: string
  userId: string | null
  personalized: boolean
  createdAt: number
  decisions: readonly LoggedChoice[]
}

/** A decision as `why` and export read it: the columns of the per-placement `decisions` table. */
export type DecisionView = Selectable<DecisionsTable>

/** JSON of the shared, frozen reasons arrays (run of site, keyword and category lists); others are one decision's own. */
const frozenReasons = new WeakMap<readonly Reason[], string>()

function reasonsJson(reasons: Reason[]): string {
  if (!Object.isFrozen(reasons)) return JSON.stringify(reasons)
  let text = frozenReasons.get(reasons)
  if (text === undefined) {
    text = JSON.stringify(reasons)
    frozenReasons.set(reasons, text)
  }
  return text
}

/** A string or null as JSON. */
const textOrNull = (x: string | null) => (x === null ? 'null' : JSON.stringify(x))

/**
 * A request as the JSON text `recordDecisionRequests` takes: `[requestId, userId, personalized,
 * createdAt, [StoredDecision…]]`, the same text as `JSON.stringify` gives, written by hand so
 * shared reasons are serialized once; ids are UUIDs (generated, validated or from the catalog)
 * and need no escaping. Serialized once, when logged, so what is kept until written is a flat
 * string, not an object graph the garbage collector must trace and copy.
 */
export function decisionRequestRow(r: LoggedRequest): string {
  // Joined from its parts: a string built with `+` stays a tree of them (a rope) until something
  // flattens it, and a row is kept until written, then joined into its batch; a flat one is a
  // single object to trace and a plain copy to join (joining and encoding a 500-request batch of
  // ropes took about half as long again in a loop).
  const parts = [`["${r.requestId}",${textOrNull(r.userId)},${r.personalized},${JSON.stringify(r.createdAt)},[`]
  for (let i = 0; i < r.decisions.length; i++) {
    const d = r.decisions[i] as LoggedChoice
    parts.push(
      `${i > 0 ? ',' : ''}["${d.decisionId}","${d.placementId}","${d.adId}","${d.campaignId}",${JSON.stringify(d.tier)},${JSON.stringify(d.value)},${JSON.stringify(d.propensity)},${JSON.stringify(d.feature)},${reasonsJson(d.reasons)},${textOrNull(d.copyVariantId)},${textOrNull(d.copySegmentId)}]`,
    )
  }
  parts.push(']]')
  return parts.join('')
}

/** What a request row shares with its decisions. */
interface RequestPart {
  requestId: string
  userId: string | null
  personalized: boolean
  createdAt: Date
}

function viewOf(r: RequestPart, d: StoredDecision): DecisionView {
  const [decisionId, placementId, adId, campaignId, tier, value, propensity, feature, reasons, copyVariantId, copySegmentId] = d
  return {
    decisionId,
    requestId: r.requestId,
    placementId,
    adId,
    campaignId,
    userId: r.userId,
    personalized: r.personalized,
    tier,
    value,
    propensity,
    feature,
    reasons,
    copyVariantId,
    copySegmentId,
    createdAt: r.createdAt,
  }
}

/** Every decision of request rows, as `DecisionView`s. */
export function decisionsOfRequests(rows: readonly (RequestPart & { decisions: StoredDecision[] })[]): DecisionView[] {
  return rows.flatMap((r) => r.decisions.map((d) => viewOf(r, d)))
}

/** The decision `decisionId` in a text of `decisionRequestRow`, as the table would give it back. */
export function decisionInRequestRow(row: string, decisionId: string): DecisionView | undefined {
  const [requestId, userId, personalized, at, decisions] = JSON.parse(row) as [string, string | null, boolean, number, StoredDecision[]]
  const d = decisions.find((x) => x[0] === decisionId)
  return d && viewOf({ requestId, userId, personalized, createdAt: new Date(at) }, d)
}

/**
 * Writes requests (texts of `decisionRequestRow`) in one statement per 5000, as one JSON parameter
 * of positional rows expanded in SQL: no query compiled per row or text array escaped in JS per
 * column. The time is exact milliseconds (`findDecision` looks a row up by it).
 */
export async function recordDecisionRequests(db: Kysely<AdsDb>, rows: readonly string[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = `[${rows.slice(i, i + 5000).join(',')}]`
    await db
      .insertInto('decisionRequests')
      .columns(['requestId', 'userId', 'personalized', 'createdAt', 'decisions'])
      .expression(
        sql`select (r->>0)::uuid, r->>1, (r->>2)::boolean, timestamptz 'epoch' + (r->>3)::bigint * interval '1 millisecond', r->4 from jsonb_array_elements(${batch}::jsonb) as r`,
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/**
 * A logged decision by id. Decision ids are UUIDv7 with the request's time, so the request row is
 * found through the time index (the few requests of that millisecond); rows logged before
 * migration 0003 are in `decisions`.
 */
export async function findDecision(db: Kysely<AdsDb>, decisionId: string): Promise<DecisionView | undefined> {
  const at = timeOfOrderedId(decisionId)
  if (at !== undefined) {
    const rows = await db
      .selectFrom('decisionRequests')
      .selectAll()
      .where('createdAt', '>=', new Date(at - 1))
      .where('createdAt', '<', new Date(at + 2))
      .execute()
    for (const r of rows) {
      const d = r.decisions.find((x) => x[0] === decisionId)
      if (d) return viewOf(r, d)
    }
  }
  return db.selectFrom('decisions').selectAll().where('decisionId', '=', decisionId).executeTakeFirst()
}

export async function purgeDecisions(db: Kysely<AdsDb>, before: Date) {
  await db.deleteFrom('decisionRequests').where('createdAt', '<', before).execute()
  await db.deleteFrom('decisions').where('createdAt', '<', before).execute()
}
