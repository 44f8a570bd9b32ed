import type { KitTables, UserSegmentsTable } from '@attune/kit'
import type { ColumnType } from 'kysely'

export interface ItemPopularityTable {
  itemId: string
  /** Start of the hour the interactions fell in. */
  bucket: Date
  events: number
  /** Sum of interaction weights in the hour (negative feedback subtracts). */
  score: number
}

export interface ItemsTable {
  itemId: string
  type: string
  title: string | null
  text: string | null
  url: string | null
  categories: string[]
  tags: string[]
  author: string | null
  language: string | null
  publishedAt: Date | null
  expiresAt: Date | null
  hidden: boolean
  properties: ColumnType<Record<string, unknown>, string, string>
  /** sha256 of the canonical content: an upsert with the same hash changes nothing. */
  contentHash: string
  createdAt: ColumnType<Date, Date, never>
  updatedAt: Date
}

export interface UserItemInteractionsTable {
  /** The user id, or the anonymous id of a visitor not known yet. */
  userId: string
  itemId: string
  /** Sum of interaction weights; never above the last negative feedback's own (negative) weight at the time it came. */
  weight: number
  events: number
  views: number
  clicks: number
  /** Hides, "not interested" and ratings of 2 or less. */
  negatives: number
  /** Seconds of dwell, each event capped (DWELL_CAP_SECONDS). */
  dwellSeconds: number
  firstAt: Date
  lastAt: Date
  lastType: string
}

export interface FollowsTable {
  userId: string
  targetType: 'author' | 'user'
  targetId: string
  /** False after an unfollow; the row stays so an older, late follow cannot override it. */
  active: boolean
  /** Time of the follow or unfollow this state comes from. */
  changedAt: Date
}

export interface RecommendationFeedbackTable {
  /** The `recommendationId` the client echoed on its interactions. */
  recommendationId: string
  itemId: string
  userId: string
  views: number
  clicks: number
  /** Likes, shares, comments, purchases, dwell and positive ratings. */
  engagements: number
  negatives: number
  firstAt: Date
  lastAt: Date
}

export interface UserPreferencesTable {
  userId: string
  followedTopics: string[]
  mutedTopics: string[]
  mutedAuthors: string[]
  mutedItems: string[]
  languages: string[]
  nonPersonalized: boolean
  updatedAt: Date
}

/**
 * One row per distinct slate served: a user's kept first page, served again unchanged, is recorded
 * once (again after an hour), under the recommendation id of the response that first served it.
 */
export interface ServedRecommendationsTable {
  recommendationId: string
  userId: string
  /** The caller's scenario (`homepage`, `article-bottom` …), or `feed` / `similar`. */
  scenario: string
  kind: 'recommendations' | 'feed' | 'similar'
  /** What this response served, in rank order. */
  itemIds: string[]
  /** Served by the earlier pages of the same slate (excluded from this one). */
  excludedIds: string[]
  /** 1 for the first page of a slate. */
  page: number
  servedAt: Date
}

/** An anonymous id profiling merged into a user. */
export interface IdentityLinksTable {
  anonymousId: string
  userId: string
  mergedAt: Date
}

/** Tables in the `recommendation` schema. */
export interface RecommendationDb extends KitTables {
  itemPopularity: ItemPopularityTable
  items: ItemsTable
  userItemInteractions: UserItemInteractionsTable
  follows: FollowsTable
  recommendationFeedback: RecommendationFeedbackTable
  userPreferences: UserPreferencesTable
  userSegments: UserSegmentsTable
  servedRecommendations: ServedRecommendationsTable
  identityLinks: IdentityLinksTable
}
