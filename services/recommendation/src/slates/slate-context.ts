import { timeOrderedId } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { ExplainContext, ExplainedCandidate } from '../domain/reasons.ts'
import type { ModelRegistry } from '../models/model-registry.ts'
import type { Serving } from '../serving/serving.ts'
import { keepIdsJson, type ServedSlate } from '../store/served-store.ts'
import { decodeSlateCursor, encodeSlateCursor, invalidCursor } from './slate-cursor.ts'

export interface SlateDeps {
  db: Kysely<RecommendationDb>
  models: ModelRegistry
  serving: Serving
  now: Date
}

/** Titles and first categories from the model's catalog snapshot, for explanations. */
export function explainContext(models: ModelRegistry): ExplainContext {
  return {
    titleOf: (id) => models.catalog.get(id)?.title ?? null,
    categoryOf: (id) => models.catalog.get(id)?.categories[0] ?? null,
  }
}

/** The earlier page a cursor points at: it must have been served to this user by this endpoint. */
export async function previousPage(deps: SlateDeps, cursor: string | undefined, userId: string, kind: ServedSlate['kind']): Promise<ServedSlate | undefined> {
  if (cursor === undefined) return undefined
  const prev = await deps.serving.served.find(decodeSlateCursor(cursor))
  if (!prev || prev.userId !== userId || prev.kind !== kind) throw invalidCursor()
  return prev
}

/** A served slate: its id and its JSON body, ready to send. */
export interface SlateReply {
  recommendationId: string
  /** The `Slate` schema's JSON, UTF-8 encoded. */
  body: Buffer
}

/** What a kept page serves while the catalog does not change: worked out once, sent many times. */
interface PreparedPage {
  count: number
  catalogVersion: number
  /** The first expiry among the served items (epoch ms): the page must be worked out again then. */
  liveUntil: number
  itemIds: string[]
  excludedIds: string[]
  chosen: readonly ExplainedCandidate[]
  /** The items' JSON without and with their catalog fields, each made when first asked for. */
  json: { lean?: Buffer; withItems?: Buffer }
  /** Where this page is recorded, per user and scenario (see `recordedSlateId`). */
  recorded: RecordedSlate[]
}

interface RecordedSlate {
  userId: string
  scenario: string
  /** The recommendation id of the response that first served the page: the served log's key. */
  slateId: string
  /** Its cursor, as JSON. */
  cursor: string
  recordedAt: number
}

/**
 * A kept page is recorded again this long after it was first recorded, so the served log's
 * retention (a day at least) never purges a slate whose cursors are still handed out.
 */
export const KEPT_SLATE_REFRESH_MS = 3_600_000

const prepared = new WeakMap<readonly ExplainedCandidate[], PreparedPage>()

function prepare(deps: SlateDeps, candidates: readonly ExplainedCandidate[], count: number, excluded: ReadonlySet<string>, now: number): PreparedPage {
  const chosen = candidates.filter((c) => deps.models.isLive(c.itemId, now)).slice(0, count)
  let liveUntil = Number.POSITIVE_INFINITY
  for (const c of chosen) liveUntil = Math.min(liveUntil, deps.models.expiresAt(c.itemId))
  return {
    count,
    catalogVersion: deps.models.catalogVersion,
    liveUntil,
    itemIds: chosen.map((c) => c.itemId),
    excludedIds: [...excluded],
    chosen,
    json: {},
    recorded: [],
  }
}

/**
 * Encoded once per page: a UTF-8 buffer is sent as it is, where a string with any non-ASCII
 * character (the quotes around titles) is transcoded on every write.
 */
function itemsJson(deps: SlateDeps, page: PreparedPage, withItems: boolean): Buffer {
  const kept = withItems ? page.json.withItems : page.json.lean
  if (kept) return kept
  const items = page.chosen.map((c, i) => ({
    itemId: c.itemId,
    rank: i + 1,
    score: Math.round(c.score * 10_000) / 10_000,
    reasons: c.reasons,
    ...(withItems ? { item: deps.models.itemView(c.itemId) } : {}),
  }))
  const json = Buffer.from(JSON.stringify(items))
  if (withItems) page.json.withItems = json
  else page.json.lean = json
  return json
}

/**
 * Keeps the candidates the catalog still recommends right now (a removal, a hide or an expiry since
 * the model was trained wins), takes `count`, records what was served (written behind, see
 * ServedLog) and gives the page its id and cursor. A `kept` candidate list (a user's first page,
 * the same until the user, the model or the catalog changes) is turned into JSON and recorded
 * once; each request then only adds its own id and the kept slate's cursor.
 */
export function serveSlate(
  deps: SlateDeps,
  o: {
    userId: string
    scenario: string
    kind: ServedSlate['kind']
    count: number
    personalized: boolean
    previous: ServedSlate | undefined
    /** For a kept list, the same on every request that serves it; asked for only when the page is worked out. */
    excluded: () => ReadonlySet<string>
    candidates: readonly ExplainedCandidate[]
    kept?: boolean
    /** Each item's catalog fields too (`include=item`). */
    withItems: boolean
  },
): SlateReply {
  const now = deps.now.getTime()
  let page = o.kept ? prepared.get(o.candidates) : undefined
  if (!page || page.count !== o.count || page.catalogVersion !== deps.models.catalogVersion || now >= page.liveUntil) {
    page = prepare(deps, o.candidates, o.count, o.excluded(), now)
    if (o.kept) {
      prepared.set(o.candidates, page)
      keepIdsJson(page.itemIds, page.excludedIds)
    }
  }
  // Time-ordered (UUIDv7): the served log's primary key grows at its end instead of at random pages.
  const recommendationId = timeOrderedId()
  const served = (): ServedSlate => ({
    recommendationId,
    userId: o.userId,
    scenario: o.scenario,
    kind: o.kind,
    itemIds: page.itemIds,
    excludedIds: page.excludedIds,
    page: (o.previous?.page ?? 0) + 1,
    servedAt: deps.now,
  })
  // A full page may have more after it; a short one is the end of what can be recommended.
  const full = page.itemIds.length === o.count
  let cursor: string
  if (o.kept) {
    const kept = keptSlate(deps, page, o.userId, o.scenario, now, served)
    cursor = full ? kept.cursor : 'null'
  } else {
    deps.serving.served.record(served())
    cursor = full ? cursorJson(recommendationId) : 'null'
  }
  const trainedAt = deps.models.trainedAt
  const head = `{"recommendationId":"${recommendationId}","userId":${JSON.stringify(o.userId)},"scenario":${JSON.stringify(o.scenario)},"personalized":${o.personalized},"modelTrainedAt":${trainedAt === null ? 'null' : `"${trainedAt}"`},"items":`
  const items = itemsJson(deps, page, o.withItems)
  const tail = `,"nextCursor":${cursor}}`
  // One buffer, written in place: the tail is ASCII (a base64url cursor).
  const headBytes = Buffer.byteLength(head)
  const body = Buffer.allocUnsafe(headBytes + items.length + tail.length)
  body.write(head, 0)
  items.copy(body, headBytes)
  body.write(tail, headBytes + items.length, 'latin1')
  return { recommendationId, body }
}

const cursorJson = (slateId: string) => `"${encodeSlateCursor(slateId)}"`

/**
 * A kept page served again serves the same slate: it is recorded once (per user and scenario), and
 * every response's cursor pages on from that record. Each response still has its own
 * recommendation id for attribution; a row per response cost more in Postgres than serving it.
 */
function keptSlate(deps: SlateDeps, page: PreparedPage, userId: string, scenario: string, now: number, served: () => ServedSlate): RecordedSlate {
  let kept = page.recorded.find((r) => r.userId === userId && r.scenario === scenario)
  if (kept && now - kept.recordedAt < KEPT_SLATE_REFRESH_MS) return kept
  const slate = served()
  deps.serving.served.record(slate)
  if (!kept) {
    kept = { userId, scenario, slateId: '', cursor: '', recordedAt: 0 }
    page.recorded.push(kept)
  }
  kept.slateId = slate.recommendationId
  kept.cursor = cursorJson(slate.recommendationId)
  kept.recordedAt = now
  return kept
}

/** Everything earlier pages served plus what the caller excludes: never shown again in this slate. */
export function excludedSoFar(previous: ServedSlate | undefined, exclude: readonly string[] = []): Set<string> {
  return new Set([...(previous?.excludedIds ?? []), ...(previous?.itemIds ?? []), ...exclude])
}
