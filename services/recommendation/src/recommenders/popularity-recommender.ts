import { decodeFloat32, encodeArray } from './codec.ts'
import { decay } from './history.ts'
import { topOfOrder } from './scoring.ts'
import type { TrainingData } from './training-data.ts'
import type { ModelJson, Recommender, Scoring } from './types.ts'

export interface PopularityOptions {
  /** Half-life of an interaction's weight in ms; Infinity (default) counts all time equally. A short one gives "trending". */
  halfLifeMs: number
  /** Count each user once per item (default) instead of summing weights. */
  distinctUsers: boolean
}

export const defaultPopularityOptions: PopularityOptions = { halfLifeMs: Number.POSITIVE_INFINITY, distinctUsers: true }
/** Trending: a 2-day half-life. */
export const trendingOptions: PopularityOptions = { halfLifeMs: 2 * 86_400_000, distinctUsers: true }

export interface PopularityModel extends Recommender {
  readonly kind: 'popularity'
  /** score per item: Σ_users sign(w)·decay (distinct users) or Σ w·decay. */
  readonly scores: Float32Array
  /** Items by score, best first. */
  readonly order: Int32Array
  readonly trending: boolean
}

/**
 * Popularity with exponential time decay: score_i = Σ_u f(w_ui) · 2^(−(now − t_ui)/halfLife) where
 * f is the sign of the summed weight (distinct users) or the weight itself. Negative feedback
 * lowers an item's score. The history only excludes items; every user gets the same ranking.
 */
export function fitPopularity(data: TrainingData, options: Partial<PopularityOptions> = {}): PopularityModel {
  const o = { ...defaultPopularityOptions, ...options }
  const m = data.byItem
  const scores = new Float32Array(m.rows)
  for (let i = 0; i < m.rows; i++) {
    let s = 0
    for (let p = m.indptr[i] as number, end = m.indptr[i + 1] as number; p < end; p++) {
      const w = m.values[p] as number
      s += (o.distinctUsers ? Math.sign(w) : w) * decay(data.now - (m.times[p] as number), o.halfLifeMs)
    }
    scores[i] = s
  }
  return popularityModel(scores, Number.isFinite(o.halfLifeMs))
}

export function popularityModel(scores: Float32Array, trending: boolean): PopularityModel {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
  const reason = trending ? ('trending' as const) : ('popular' as const)
  const scoring: Scoring = {
    top: (n, allow) => topOfOrder(order, (item) => scores[item] as number, n, allow).map((s) => ({ ...s, reason })),
    score: (item) => scores[item] ?? 0,
    because: () => [],
  }
  return {
    kind: 'popularity',
    itemCount: scores.length,
    scores,
    order,
    trending,
    prepare: () => scoring,
    similar: (item, k) => scoring.top(k, (j) => j !== item),
    toJSON: (): ModelJson => ({ kind: 'popularity', version: 1, trending, scores: encodeArray(scores) }),
  }
}

export function loadPopularity(json: ModelJson): PopularityModel {
  if (json.version !== 1) throw new RangeError(`unsupported popularity model version ${json.version}`)
  return popularityModel(decodeFloat32(json.scores), json.trending === true)
}
