import type { KitTables } from '@attune/kit'
import type { ColumnType, Generated } from 'kysely'

type Json<T> = ColumnType<T, string, string>

/** Which kinds of campaigns win first: a tier is tried only when no ad of a higher one is eligible. */
export type Tier = 'sponsorship' | 'standard' | 'house'
export type PriceModel = 'cpm' | 'cpc'
export type Pacing = 'even' | 'asap'
export type Status = 'active' | 'paused'

/** Who a campaign is for; each dimension given must match (any of its values), absent ones match everything. */
export interface Targeting {
  keywords?: string[]
  urlContains?: string[]
  categories?: string[]
  segments?: string[]
  interests?: string[]
  languages?: string[]
  countries?: string[]
}

export interface FrequencyCap {
  max: number
  windowSeconds: number
}

export interface AdvertisersTable {
  advertiserId: string
  name: string
  blockedCategories: string[]
  createdAt: Date
  updatedAt: Date
}

export interface CampaignsTable {
  campaignId: string
  advertiserId: string
  name: string
  status: Status
  startAt: Date
  endAt: Date | null
  totalBudget: number
  dailyBudget: number | null
  pacing: Pacing
  tier: Tier
  priceModel: PriceModel
  price: number
  targeting: Json<Targeting>
  frequencyCap: ColumnType<FrequencyCap | null, string | null, string | null>
  placementIds: string[]
  spent: Generated<number>
  createdAt: Date
  updatedAt: Date
}

export interface CampaignDailySpendTable {
  campaignId: string
  day: string
  spent: number
  /** When the row last changed (replicas reload changed rows only). */
  updatedAt: Generated<Date>
}

export interface AdsTable {
  adId: string
  campaignId: string
  title: string
  body: string
  imageUrl: string | null
  clickUrl: string
  format: string
  categories: string[]
  status: Status
  createdAt: Date
  updatedAt: Date
}

export interface PlacementsTable {
  placementId: string
  name: string
  zone: string
  format: string
  createdAt: Date
}

/** Impressions and clicks per ad, overall (`feature` '') and per page category, for the Beta posteriors. */
export interface AdStatsTable {
  adId: string
  feature: string
  impressions: number
  clicks: number
  updatedAt: Generated<Date>
}

export interface StatsDailyTable {
  day: string
  campaignId: string
  adId: string
  placementId: string
  impressions: number
  clicks: number
  spend: number
}

export interface DecisionsTable {
  decisionId: string
  requestId: string
  placementId: string
  adId: string
  campaignId: string
  userId: string | null
  personalized: boolean
  tier: Tier
  value: number
  propensity: number
  feature: string
  reasons: Json<Reason[]>
  /** The approved copy variant shown instead of the ad's own text, and the segment it was written for. */
  copyVariantId: string | null
  copySegmentId: string | null
  createdAt: Date
}

/** One decision in a `decision_requests` row, positional (what the request shares is on the row). */
export type StoredDecision = [
  decisionId: string,
  placementId: string,
  adId: string,
  campaignId: string,
  tier: Tier,
  value: number,
  propensity: number,
  feature: string,
  reasons: Reason[],
  copyVariantId: string | null,
  copySegmentId: string | null,
]

/** The decision log from migration 0003 to 0004: one row per request (older rows are in `decisions`). */
export interface DecisionRequestsTable {
  requestId: string
  userId: string | null
  personalized: boolean
  createdAt: Date
  decisions: Json<StoredDecision[]>
}

/**
 * The decision log since migration 0004: one row per written batch. `requests` holds the batch's
 * request rows (texts of `decisionRequestRow`, JSON without raw newlines), one per line;
 * `userIds` the distinct users among them.
 */
export interface DecisionBatchesTable {
  batchId: string
  firstAt: Date
  lastAt: Date
  userIds: string[]
  requests: string
}

/** One piece of targeting that matched, kept for `why`. */
export interface Reason {
  kind: 'keyword' | 'url' | 'category' | 'inferred_category' | 'segment' | 'interest' | 'language' | 'country' | 'untargeted'
  value: string
}

export interface TrackedTable {
  decisionId: string
  kind: 'impression' | 'click'
  charged: number
  at: Date
}

export type CopyStatus = 'pending' | 'approved' | 'rejected'

/** A variant of an ad's text for one audience segment, from the generation service; serves only once approved by its review. */
export interface CopyVariantsTable {
  variantId: string
  adId: string
  segmentId: string
  /** How the requester described the segment (part of the brief, shown in `why`). */
  audience: string | null
  generationId: string
  reviewId: string | null
  variantIndex: number
  text: string
  status: CopyStatus
  /** Why it was rejected, or that a reviewer edited it. */
  note: string | null
  moderationScore: number
  flagged: boolean
  provider: string
  decidedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** What ads mirrors about a user from `attune.profiles`. */
export interface AdUsersTable {
  userId: string
  adConsent: Generated<string>
  nonPersonalized: Generated<boolean>
  interests: Generated<string[]>
  segments: Generated<string[]>
  updatedAt: Date
}

export interface UserImpressionsTable {
  userId: string
  campaignId: string
  at: Date
}

/** Tables in the `ads` schema. */
export interface AdsDb extends KitTables {
  advertisers: AdvertisersTable
  campaigns: CampaignsTable
  campaignDailySpend: CampaignDailySpendTable
  ads: AdsTable
  placements: PlacementsTable
  adStats: AdStatsTable
  statsDaily: StatsDailyTable
  decisions: DecisionsTable
  decisionRequests: DecisionRequestsTable
  decisionBatches: DecisionBatchesTable
  tracked: TrackedTable
  adUsers: AdUsersTable
  userImpressions: UserImpressionsTable
  copyVariants: CopyVariantsTable
}
