/**
 * The shared vocabulary of the recommender library. Everything here works in dense index space
 * (item i is `TrainingData.itemIds[i]`); ids are mapped at the edge (training-data.ts, engine.ts).
 */

/** One observed interaction; weight < 0 is negative feedback (hide, not interested, low rating). */
export interface Interaction {
  userId: string
  itemId: string
  weight: number
  /** Epoch milliseconds. */
  time: number
}

/** Optional item content, used by the content recommender, cold start and diversity. */
export interface ItemContent {
  itemId: string
  title?: string
  text?: string
  tags?: string[]
  categories?: string[]
  author?: string
  language?: string
  /** Epoch milliseconds. */
  publishedAt?: number
}

/**
 * A user's current history, one entry per distinct item: parallel arrays of item index, summed
 * weight and latest time (epoch ms). Passed at query time, so a new interaction counts at once.
 */
export interface History {
  items: Int32Array
  weights: Float32Array
  times: Float64Array
}

/** Why an item was recommended: the component that contributed most to its score. */
export type Reason = 'history' | 'similar-users' | 'content' | 'popular' | 'trending' | 'explore' | 'topics'

export interface Scored {
  item: number
  score: number
  /** History items that contributed most ("because you read X"), best first. */
  because?: number[]
  reason?: Reason
}

/** Per-request scoring state, built once from a history by `Recommender.prepare`. */
export interface Scoring {
  /** The n best allowed items by this recommender's score, best first. */
  top(n: number, allow: (item: number) => boolean): Scored[]
  /** The score of one item (0 when the recommender knows nothing about it). */
  score(item: number): number
  /** History items that contributed most to this item's score, best first (may be empty). */
  because(item: number): number[]
}

export type RecommenderKind = 'popularity' | 'sar' | 'content' | 'als' | 'bpr' | 'ease' | 'blend'

export interface Recommender {
  readonly kind: RecommenderKind
  /** Number of items the model knows; item indexes are below it. */
  readonly itemCount: number
  /** Folds the history in (no retraining) and returns a scorer for this request. */
  prepare(history: History, now?: number): Scoring
  /** Items most similar to `item` by this model, best first, without `item` itself. */
  similar(item: number, k: number): Scored[]
  /** A JSON-safe snapshot (typed arrays as base64); `loadRecommender` reads it back. */
  toJSON(): ModelJson
}

export interface ModelJson {
  kind: RecommenderKind
  version: number
  [field: string]: unknown
}

export interface RecommendOptions {
  k: number
  /** Items never to return (besides the history's own items). */
  exclude?: ReadonlySet<number>
  /** Only items passing this filter are returned (availability, language, …). */
  filter?: (item: number) => boolean
  /** Keep history items as candidates (re-consumable catalogs); negative ones stay excluded. */
  includeHistory?: boolean
  /** Epoch ms used for time decay; defaults to the model's training time. */
  now?: number
}
