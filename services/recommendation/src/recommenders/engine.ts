import { seededRandom } from '@attune/kit'
import { recommendForTopics } from './cold-start.ts'
import { categorySimilarity, diversify } from './diversity.ts'
import { explore, newItemPool } from './explore.ts'
import { historyFromEntries } from './history.ts'
import { loadRecommender } from './load-recommender.ts'
import { fitPopularity, type PopularityModel } from './popularity-recommender.ts'
import { allowFor } from './scoring.ts'
import type { TrainingData } from './training-data.ts'
import type { History, ItemContent, Reason, Recommender, Scored } from './types.ts'

/** Ranked items explained with the history items behind them ("because you read …"); later ones get the model's general reason. */
const EXPLAINED = 60

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

/**
 * A user's best candidates before any request filter (only their own items are out, per
 * `includeHistory`), scored once so that requests can be answered from them (see `rerank`).
 */
export interface CandidateSet {
  readonly list: readonly Scored[]
  /** True when the list holds every item the model would recommend (fewer than asked for exist). */
  readonly complete: boolean
  /** Item indexes that may never be recommended to this history (its items, or its negative ones). */
  readonly blocked: ReadonlySet<number>
  /** Filtered and diversified lists already worked out from this set, by the caller's key for the request. */
  readonly ranked: Map<string, Scored[]>
}

export type CandidateRequest = Pick<EngineRequest, 'now' | 'topics' | 'includeHistory'> & { k: number }

export interface Engine {
  readonly itemIds: readonly string[]
  readonly itemIndex: ReadonlyMap<string, number>
  readonly model: Recommender
  recommend(history: Iterable<HistoryEntry>, request: EngineRequest): Recommendation[]
  candidates(history: Iterable<HistoryEntry>, request: CandidateRequest): CandidateSet
  /**
   * Answers a request from candidates: exclusions, filter, diversity and exploration. Undefined when
   * the filter leaves too few of them and more exist (the caller then asks \`recommend\`).
   */
  rerank(candidates: CandidateSet, request: EngineRequest, memoKey?: string): Recommendation[] | undefined
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
  const indexesOf = (ids: Iterable<string> | undefined): Set<number> => {
    const out = new Set<number>()
    for (const id of ids ?? []) {
      const i = itemIndex.get(id)
      if (i !== undefined) out.add(i)
    }
    return out
  }
  // Each blended component asks about the same items: the caller's filter runs once per item.
  const byIndex = (filter: ((itemId: string) => boolean) | undefined): ((item: number) => boolean) | undefined => {
    if (!filter) return undefined
    const verdicts = new Map<number, boolean>()
    return (i) => {
      let ok = verdicts.get(i)
      if (ok === undefined) {
        ok = filter(itemIds[i] as string)
        verdicts.set(i, ok)
      }
      return ok
    }
  }
  /** The model's best `want` allowed items for a history (topic or plain popularity when it has nothing positive), explained. */
  const rank = (history: History, want: number, request: Pick<EngineRequest, 'now' | 'topics'>, allow: (item: number) => boolean): Scored[] => {
    if (!history.weights.some((w) => w > 0)) return recommendForTopics(popularity, topicContent, request.topics ?? [], want, allow)
    const scoring = model.prepare(history, request.now)
    // Explaining costs a pass over the history per item: the first pages' worth are explained.
    return scoring.top(want, allow).map((s, rank) => {
      const because = s.because ?? (rank < EXPLAINED ? scoring.because(s.item) : [])
      return because.length > 0 ? { ...s, because } : s
    })
  }
  const diversified = (ranked: Scored[], request: EngineRequest): Scored[] => {
    const diversity = request.diversity ?? 0
    return diversity > 0 ? diversify(ranked, request.k, diversity, similarity) : ranked
  }
  const explored = (ranked: Scored[], request: EngineRequest, allow: (item: number) => boolean): Recommendation[] => {
    let list = ranked
    if (request.explore && request.explore.share > 0) {
      list = explore(list, request.k, { share: request.explore.share, pool, random: seededRandom(request.explore.seed), allow })
    }
    return list.slice(0, request.k).map(toRecommendation)
  }
  const finish = (ranked: Scored[], request: EngineRequest, allow: (item: number) => boolean): Recommendation[] =>
    explored(diversified(ranked, request), request, allow)
  return {
    itemIds,
    itemIndex,
    model,
    recommend(entries, request) {
      const history = historyFromEntries(itemIndex, entries)
      const allow = allowFor(history, { exclude: indexesOf(request.excludeIds), filter: byIndex(request.filter), includeHistory: request.includeHistory })
      const want = (request.diversity ?? 0) > 0 ? Math.max(request.k * 2, 30) : request.k
      return finish(rank(history, want, request, allow), request, allow)
    },
    candidates(entries, request) {
      const history = historyFromEntries(itemIndex, entries)
      const blocked = new Set<number>()
      for (let i = 0; i < history.items.length; i++) {
        if (!request.includeHistory || (history.weights[i] as number) < 0) blocked.add(history.items[i] as number)
      }
      const list = rank(history, request.k, request, (item) => !blocked.has(item))
      return { list, complete: list.length < request.k, blocked, ranked: new Map() }
    },
    rerank(candidates, request, memoKey) {
      const exclude = indexesOf(request.excludeIds)
      const filter = byIndex(request.filter)
      const allow = (item: number) => !candidates.blocked.has(item) && !exclude.has(item) && (filter === undefined || filter(item))
      // Without exclusions, the same filter and diversity give the same list: worked out once.
      const key = memoKey !== undefined && exclude.size === 0 ? memoKey : undefined
      let ranked = key === undefined ? undefined : candidates.ranked.get(key)
      if (!ranked) {
        const want = (request.diversity ?? 0) > 0 ? Math.max(request.k * 2, 30) : request.k
        const list: Scored[] = []
        for (const s of candidates.list) {
          if (!allow(s.item)) continue
          list.push(s)
          if (list.length >= want) break
        }
        if (list.length < want && !candidates.complete) return undefined
        ranked = diversified(list, request)
        if (key !== undefined && candidates.ranked.size < 16) candidates.ranked.set(key, ranked)
      }
      return explored(ranked, request, allow)
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
