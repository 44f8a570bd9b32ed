import { seededRandom } from '@attune/kit'
import { recommendForTopics } from './cold-start.ts'
import { categorySimilarity, diversify } from './diversity.ts'
import { explore, newItemPool } from './explore.ts'
import { historyFromEntries } from './history.ts'
import { loadRecommender } from './load-recommender.ts'
import { fitPopularity, type PopularityModel } from './popularity-recommender.ts'
import { allowFor } from './scoring.ts'
import type { TrainingData } from './training-data.ts'
import type { ItemContent, Reason, Recommender, Scored } from './types.ts'

/** One history entry as the service has it (a DB row or the current request). */
export interface HistoryEntry {
  itemId: string
  weight: number
  /** Epoch ms. */
  time?: number
}

export interface Recommendation {
  itemId: string
  score: number
  reason?: Reason
  /** History item ids behind this recommendation ("because you read …"). */
  because?: string[]
}

export interface EngineRequest {
  k: number
  excludeIds?: Iterable<string>
  /** Only items passing this filter (by id) are returned. */
  filter?: (itemId: string) => boolean
  /** Epoch ms for time decay; defaults to the training time. */
  now?: number
  /** MMR diversity over item categories, 0 (off) .. 1. */
  diversity?: number
  /** Exploration of new items: share of slots (0..1) and the seed of this slate. */
  explore?: { share: number; seed: number }
  /** Cold start: topics (categories or tags) the user chose, used when the history is empty. */
  topics?: string[]
  /** Keep positively rated history items as candidates (re-consumable catalogs); negative ones stay out. */
  includeHistory?: boolean
}

export interface Engine {
  readonly itemIds: readonly string[]
  readonly itemIndex: ReadonlyMap<string, number>
  readonly model: Recommender
  recommend(history: Iterable<HistoryEntry>, request: EngineRequest): Recommendation[]
  similar(itemId: string, k: number): Recommendation[]
  toJSON(): EngineJson
}

export interface EngineJson {
  version: 1
  itemIds: string[]
  categories: (string[] | null)[]
  publishedAt: (number | null)[]
  popularity: unknown
  model: unknown
}

/**
 * The id-level face of a trained model, what the HTTP layer calls: maps ids, folds in the current
 * history, falls back to topic or plain popularity when the history has nothing positive, then
 * diversifies and explores. Everything is synchronous and in memory.
 */
export function createEngine(data: TrainingData, model: Recommender, popularity: PopularityModel = fitPopularity(data)): Engine {
  return engineOf(
    data.itemIds,
    data.content.map((c) => (c ? [...(c.categories ?? []), ...(c.tags ?? [])] : undefined)),
    data.content.map((c) => c?.publishedAt ?? 0),
    model,
    popularity,
    data.content,
  )
}

function engineOf(
  itemIds: readonly string[],
  categories: readonly (string[] | undefined)[],
  publishedAt: readonly number[],
  model: Recommender,
  popularity: PopularityModel,
  content?: readonly (ItemContent | undefined)[],
): Engine {
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]))
  const similarity = categorySimilarity(categories)
  const topicContent = content ?? categories.map((c, i) => (c ? { itemId: itemIds[i] as string, categories: c } : undefined))
  const pool = newItemPool(popularity.scores, publishedAt, 0, 500)
  const toRecommendation = (s: Scored): Recommendation => {
    const r: Recommendation = { itemId: itemIds[s.item] as string, score: s.score }
    if (s.reason) r.reason = s.reason
    if (s.because && s.because.length > 0) r.because = s.because.map((i) => itemIds[i] as string)
    return r
  }
  return {
    itemIds,
    itemIndex,
    model,
    recommend(entries, request) {
      const history = historyFromEntries(itemIndex, entries)
      const exclude = new Set<number>()
      for (const id of request.excludeIds ?? []) {
        const i = itemIndex.get(id)
        if (i !== undefined) exclude.add(i)
      }
      const { filter } = request
      // Each blended component asks about the same items: the caller's filter runs once per item.
      const verdicts = filter ? new Int8Array(itemIds.length) : undefined
      const byIndex =
        filter && verdicts
          ? (i: number) => {
              const v = verdicts[i] as number
              if (v !== 0) return v > 0
              const ok = filter(itemIds[i] as string)
              verdicts[i] = ok ? 1 : -1
              return ok
            }
          : undefined
      const allow = allowFor(history, { exclude, filter: byIndex, includeHistory: request.includeHistory })
      const diversity = request.diversity ?? 0
      const want = diversity > 0 ? Math.max(request.k * 2, 30) : request.k
      let list: Scored[]
      if (!history.weights.some((w) => w > 0)) list = recommendForTopics(popularity, topicContent, request.topics ?? [], want, allow)
      else {
        const scoring = model.prepare(history, request.now)
        list = scoring.top(want, allow).map((s) => {
          const because = s.because ?? scoring.because(s.item)
          return because.length > 0 ? { ...s, because } : s
        })
      }
      if (diversity > 0) list = diversify(list, request.k, diversity, similarity)
      if (request.explore && request.explore.share > 0) {
        list = explore(list, request.k, { share: request.explore.share, pool, random: seededRandom(request.explore.seed), allow })
      }
      return list.slice(0, request.k).map(toRecommendation)
    },
    similar(itemId, k) {
      const i = itemIndex.get(itemId)
      return i === undefined ? [] : model.similar(i, k).map(toRecommendation)
    },
    toJSON: () => ({
      version: 1,
      itemIds: [...itemIds],
      categories: categories.map((c) => c ?? null),
      publishedAt: [...publishedAt].map((t) => t || null),
      popularity: popularity.toJSON(),
      model: model.toJSON(),
    }),
  }
}

/** Reads back `Engine.toJSON()` (parsed JSON). */
export function loadEngine(json: EngineJson): Engine {
  if (json.version !== 1) throw new RangeError(`unsupported engine version ${String(json.version)}`)
  const popularity = loadRecommender(json.popularity)
  if (popularity.kind !== 'popularity') throw new TypeError('engine popularity is not a popularity model')
  return engineOf(
    json.itemIds,
    json.categories.map((c) => c ?? undefined),
    json.publishedAt.map((t) => t ?? 0),
    loadRecommender(json.model),
    popularity as PopularityModel,
  )
}
