import { MAX_PARAMETER_CHARS, timeOfOrderedId, writePieces } from '@attune/kit'
import { type Kysely, type Selectable, sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
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
 * A request as the JSON text a batch holds (a line of its `requests`, see `recordDecisionBatches`):
 * `[requestId, userId, personalized, createdAt, [StoredDecision…]]`, the same text as
 * `JSON.stringify` gives (so never a raw newline), written by hand so
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

/** A request as a text of `decisionRequestRow` holds it. */
function parseRequestRow(row: string): RequestPart & { decisions: StoredDecision[] } {
  const [requestId, userId, personalized, at, decisions] = JSON.parse(row) as [string, string | null, boolean, number, StoredDecision[]]
  return { requestId, userId, personalized, createdAt: new Date(at), decisions }
}

/** The decision `decisionId` in a text of `decisionRequestRow`, as the table would give it back. */
export function decisionInRequestRow(row: string, decisionId: string): DecisionView | undefined {
  const r = parseRequestRow(row)
  const d = r.decisions.find((x) => x[0] === decisionId)
  return d && viewOf(r, d)
}

/** A request row (text of `decisionRequestRow`) with what its batch records about it. */
export interface BatchedRequest {
  row: string
  userId: string | null
  /** The request's time, ms since the epoch. */
  at: number
}

/** The longest time between the first and the last request of a batch (`findDecision` relies on it). */
export const BATCH_SPAN_MS = 1000
/** The most requests a batch holds (a flush holds ~500; more pile up only while writes fail). */
export const BATCH_MAX_REQUESTS = 1000
/**
 * The most characters of a batch's `requests` (a single longer row is a batch alone): kept out of
 * V8's large-object space (see MAX_PARAMETER_CHARS). Batches of ~500 requests (~430 KB) paid a
 * page fault per 4 KB on every flush, in this process and in Postgres.
 */
export const BATCH_MAX_CHARS = MAX_PARAMETER_CHARS

/** Requests logged together and written as one row, with the earliest and latest of their times. */
export interface Batch {
  requests: BatchedRequest[]
  first: number
  last: number
  /** Characters of `requests` once joined (the rows and the newlines between them). */
  chars: number
}

/**
 * Requests in the order given, cut into runs of at most `BATCH_MAX_REQUESTS` and
 * `BATCH_MAX_CHARS` spanning at most `BATCH_SPAN_MS`.
 */
export function batchesOf(requests: readonly BatchedRequest[]): Batch[] {
  const batches: Batch[] = []
  let batch: Batch | undefined
  for (const r of requests) {
    const first = Math.min(batch?.first ?? r.at, r.at)
    const last = Math.max(batch?.last ?? r.at, r.at)
    if (batch && batch.requests.length < BATCH_MAX_REQUESTS && batch.chars + 1 + r.row.length <= BATCH_MAX_CHARS && last - first <= BATCH_SPAN_MS) {
      batch.requests.push(r)
      batch.first = first
      batch.last = last
      batch.chars += 1 + r.row.length
    } else {
      batch = { requests: [r], first: r.at, last: r.at, chars: r.row.length }
      batches.push(batch)
    }
  }
  return batches
}

/**
 * Writes requests as batch rows, a statement per row, in one transaction (writePieces): one
 * statement for all of them made the driver build, and Postgres receive, a message of every row at
 * once (see BATCH_MAX_CHARS). A batch whose write failed is written
 * again with what was logged since, under a new id; readers keep each request once
 * (`decisionsInBatches`) should a failed write have committed after all.
 */
export async function recordDecisionBatches(db: Kysely<AdsDb>, requests: readonly BatchedRequest[]) {
  await writePieces(db, batchesOf(requests), (q, b) =>
    q
      .insertInto('decisionBatches')
      .values({
        batchId: uuidv7(),
        firstAt: new Date(b.first),
        lastAt: new Date(b.last),
        userIds: [...new Set(b.requests.flatMap((r) => (r.userId === null ? [] : [r.userId])))],
        requests: b.requests.map((r) => r.row).join('\n'),
      })
      .execute(),
  )
}

/** The decision `decisionId` in a batch's `requests`, as the table would give it back. */
export function decisionInBatch(requests: string, decisionId: string): DecisionView | undefined {
  // The id may also appear as some user's key: look on until the line that has it as a decision.
  for (let at = requests.indexOf(`"${decisionId}"`); at >= 0; at = requests.indexOf(`"${decisionId}"`, at + 1)) {
    const end = requests.indexOf('\n', at)
    const d = decisionInRequestRow(requests.slice(requests.lastIndexOf('\n', at) + 1, end < 0 ? undefined : end), decisionId)
    if (d) return d
  }
  return undefined
}

/** The request rows of batches, each request once (see `recordDecisionBatches`), oldest batch first. */
function requestsInBatches(batches: readonly { requests: string }[]): (RequestPart & { decisions: StoredDecision[] })[] {
  const seen = new Set<string>()
  const out: (RequestPart & { decisions: StoredDecision[] })[] = []
  for (const b of batches) {
    for (const line of b.requests.split('\n')) {
      const r = parseRequestRow(line)
      if (seen.has(r.requestId)) continue
      seen.add(r.requestId)
      out.push(r)
    }
  }
  return out
}

/** Every decision logged in batches (`userId`: only that user's), each once. */
export function decisionsInBatches(batches: readonly { requests: string }[], userId?: string): DecisionView[] {
  const requests = requestsInBatches(batches)
  return decisionsOfRequests(userId === undefined ? requests : requests.filter((r) => r.userId === userId))
}

/** The batches that hold requests of this user. */
function batchesOfUser(db: Kysely<AdsDb>, userId: string) {
  return db.selectFrom('decisionBatches').where('userIds', '@>', sql<string[]>`array[${userId}]::text[]`)
}

/** The decisions logged about a user in batches, oldest first. */
export async function userDecisionsInBatches(db: Kysely<AdsDb>, userId: string): Promise<DecisionView[]> {
  const batches = await batchesOfUser(db, userId).select('requests').orderBy(['firstAt', 'batchId']).execute()
  return decisionsInBatches(batches, userId)
}

/** Erasure: the user's requests leave every batch (a batch left empty is deleted). In a transaction: the rows are rewritten. */
export async function eraseUserFromBatches(trx: Kysely<AdsDb>, userId: string): Promise<void> {
  // Locked in one order: replicas erase the same user at the same time (see DecisionLog.forget).
  const batches = await batchesOfUser(trx, userId).select(['batchId', 'userIds', 'requests']).orderBy('batchId').forUpdate().execute()
  for (const b of batches) {
    const kept = b.requests.split('\n').filter((line) => parseRequestRow(line).userId !== userId)
    if (kept.length === 0) await trx.deleteFrom('decisionBatches').where('batchId', '=', b.batchId).execute()
    else
      await trx
        .updateTable('decisionBatches')
        .set({ requests: kept.join('\n'), userIds: b.userIds.filter((u) => u !== userId) })
        .where('batchId', '=', b.batchId)
        .execute()
  }
}

/**
 * A logged decision by id. Decision ids are UUIDv7 with the request's time, so its batch is found
 * by time (the batches of that second); rows logged by earlier versions are in `decisionRequests`
 * (found through its time index the same way) or `decisions`.
 */
export async function findDecision(db: Kysely<AdsDb>, decisionId: string): Promise<DecisionView | undefined> {
  const at = timeOfOrderedId(decisionId)
  if (at !== undefined) {
    const batches = await db
      .selectFrom('decisionBatches')
      .select('requests')
      .where('firstAt', '>=', new Date(at - BATCH_SPAN_MS - 1))
      .where('firstAt', '<', new Date(at + 2))
      .where('lastAt', '>=', new Date(at - 1))
      .execute()
    for (const b of batches) {
      const d = decisionInBatch(b.requests, decisionId)
      if (d) return d
    }
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
  await db.deleteFrom('decisionBatches').where('firstAt', '<', before).where('lastAt', '<', before).execute()
  await db.deleteFrom('decisionRequests').where('createdAt', '<', before).execute()
  await db.deleteFrom('decisions').where('createdAt', '<', before).execute()
}
