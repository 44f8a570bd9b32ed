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
}

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
 * the same until the user, the model or the catalog changes) is turned into JSON once; each
 * request then only adds its own id and cursor.
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
    /** For a kept list, the same on every request that serves it. */
    excluded: ReadonlySet<string>
    candidates: readonly ExplainedCandidate[]
    kept?: boolean
    /** Each item's catalog fields too (`include=item`). */
    withItems: boolean
  },
): SlateReply {
  const now = deps.now.getTime()
  let page = o.kept ? prepared.get(o.candidates) : undefined
  if (!page || page.count !== o.count || page.catalogVersion !== deps.models.catalogVersion || now >= page.liveUntil) {
    page = prepare(deps, o.candidates, o.count, o.excluded, now)
    if (o.kept) {
      prepared.set(o.candidates, page)
      keepIdsJson(page.itemIds, page.excludedIds)
    }
  }
  // Time-ordered (UUIDv7): the served log's primary key grows at its end instead of at random pages.
  const recommendationId = timeOrderedId()
  deps.serving.served.record({
    recommendationId,
    userId: o.userId,
    scenario: o.scenario,
    kind: o.kind,
    itemIds: page.itemIds,
    excludedIds: page.excludedIds,
    page: (o.previous?.page ?? 0) + 1,
    servedAt: deps.now,
  })
  const trainedAt = deps.models.trainedAt
  // A full page may have more after it; a short one is the end of what can be recommended.
  const cursor = page.itemIds.length === o.count ? `"${encodeSlateCursor(recommendationId)}"` : 'null'
  const head = `{"recommendationId":"${recommendationId}","userId":${JSON.stringify(o.userId)},"scenario":${JSON.stringify(o.scenario)},"personalized":${o.personalized},"modelTrainedAt":${trainedAt === null ? 'null' : `"${trainedAt}"`},"items":`
  return { recommendationId, body: Buffer.concat([Buffer.from(head), itemsJson(deps, page, o.withItems), Buffer.from(`,"nextCursor":${cursor}}`)]) }
}

/** Everything earlier pages served plus what the caller excludes: never shown again in this slate. */
export function excludedSoFar(previous: ServedSlate | undefined, exclude: readonly string[] = []): Set<string> {
  return new Set([...(previous?.excludedIds ?? []), ...(previous?.itemIds ?? []), ...exclude])
}
