import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import type { ExplainContext, Explanation } from '../domain/reasons.ts'
import type { ModelRegistry } from '../models/model-registry.ts'
import { findServed, recommendableNow, recordServed, type ServedSlate } from '../store/served-store.ts'
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
  const prev = await findServed(deps.db, decodeSlateCursor(cursor))
  if (!prev || prev.userId !== userId || prev.kind !== kind) throw invalidCursor()
  return prev
}

/**
 * Keeps the candidates the catalog still recommends right now (a removal or a hide since the model
 * was trained wins), takes `count`, records what was served and gives the page its id and cursor.
 */
export async function serveSlate(
  deps: SlateDeps,
  o: {
    userId: string
    scenario: string
    kind: ServedSlate['kind']
    count: number
    personalized: boolean
    previous: ServedSlate | undefined
    excluded: ReadonlySet<string>
    candidates: { itemId: string; score: number; reasons: Explanation[] }[]
  },
): Promise<Slate> {
  const live = await recommendableNow(
    deps.db,
    o.candidates.map((c) => c.itemId),
    deps.now,
  )
  const chosen = o.candidates.filter((c) => live.has(c.itemId)).slice(0, o.count)
  const recommendationId = randomUUID()
  await recordServed(deps.db, {
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
    items: chosen.map((c, i) => {
      const e = deps.models.catalog.get(c.itemId)
      return {
        itemId: c.itemId,
        rank: i + 1,
        score: Math.round(c.score * 10_000) / 10_000,
        reasons: c.reasons,
        item: {
          type: e?.type ?? 'article',
          title: e?.title ?? null,
          categories: e?.categories ?? [],
          author: e?.author ?? null,
          language: e?.language ?? null,
          publishedAt: e?.publishedAt ? new Date(e.publishedAt).toISOString() : null,
        },
      }
    }),
    // A full page may have more after it; a short one is the end of what can be recommended.
    nextCursor: chosen.length === o.count ? encodeSlateCursor(recommendationId) : null,
  }
}

/** Everything earlier pages served plus what the caller excludes: never shown again in this slate. */
export function excludedSoFar(previous: ServedSlate | undefined, exclude: readonly string[] = []): Set<string> {
  return new Set([...(previous?.excludedIds ?? []), ...(previous?.itemIds ?? []), ...exclude])
}
