import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { ExplainContext, ExplainedCandidate, Explanation } from '../domain/reasons.ts'
import type { ModelRegistry } from '../models/model-registry.ts'
import type { Serving } from '../serving/serving.ts'
import type { ServedSlate } from '../store/served-store.ts'
import { decodeSlateCursor, encodeSlateCursor, invalidCursor } from './slate-cursor.ts'

export interface SlateItem {
  itemId: string
  rank: number
  score: number
  reasons: Explanation[]
  item: { type: string; title: string | null; categories: string[]; author: string | null; language: string | null; publishedAt: string | null }
}

export interface Slate {
  recommendationId: string
  userId: string
  scenario: string
  personalized: boolean
  modelTrainedAt: string | null
  items: SlateItem[]
  nextCursor: string | null
}

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

/**
 * Keeps the candidates the catalog still recommends right now (a removal, a hide or an expiry since
 * the model was trained wins), takes `count`, records what was served (written behind, see
 * ServedLog) and gives the page its id and cursor.
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
    excluded: ReadonlySet<string>
    candidates: readonly ExplainedCandidate[]
  },
): Slate {
  const now = deps.now.getTime()
  const chosen = o.candidates.filter((c) => deps.models.isLive(c.itemId, now)).slice(0, o.count)
  const recommendationId = randomUUID()
  deps.serving.served.record({
    recommendationId,
    userId: o.userId,
    scenario: o.scenario,
    kind: o.kind,
    itemIds: chosen.map((c) => c.itemId),
    excludedIds: [...o.excluded],
    page: (o.previous?.page ?? 0) + 1,
    servedAt: deps.now,
  })
  return {
    recommendationId,
    userId: o.userId,
    scenario: o.scenario,
    personalized: o.personalized,
    modelTrainedAt: deps.models.current().trainedAt,
    items: chosen.map((c, i) => ({
      itemId: c.itemId,
      rank: i + 1,
      score: Math.round(c.score * 10_000) / 10_000,
      reasons: c.reasons,
      item: deps.models.itemView(c.itemId),
    })),
    // A full page may have more after it; a short one is the end of what can be recommended.
    nextCursor: chosen.length === o.count ? encodeSlateCursor(recommendationId) : null,
  }
}

/** Everything earlier pages served plus what the caller excludes: never shown again in this slate. */
export function excludedSoFar(previous: ServedSlate | undefined, exclude: readonly string[] = []): Set<string> {
  return new Set([...(previous?.excludedIds ?? []), ...(previous?.itemIds ?? []), ...exclude])
}
