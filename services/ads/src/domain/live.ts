import type { FrequencyCap, Pacing, PriceModel, Reason, Tier } from '../db.ts'
import type { BetaParams, Counts } from './thompson.ts'

/** Tiers in the order they are tried. */
export const tierOrder: readonly Tier[] = ['sponsorship', 'standard', 'house']

/** Targeting with values normalized for matching (lower-case words, upper-case countries). */
export interface LiveTargeting {
  keywords: string[]
  urlContains: string[]
  categories: string[]
  segments: string[]
  interests: string[]
  languages: string[]
  countries: string[]
  /** Which of the above are set (see `targetingDims`), computed by the catalog; absent: derived on use. */
  dims?: number
}

/** A running campaign as each replica holds it; `spent` and `spentToday` move with local charges between reloads. */
export interface LiveCampaign {
  campaignId: string
  advertiserId: string
  advertiserName: string
  blockedCategories: string[]
  name: string
  tier: Tier
  priceModel: PriceModel
  price: number
  pacing: Pacing
  totalBudget: number
  dailyBudget: number | null
  spent: number
  spentToday: number
  startAt: number
  endAt: number | null
  targeting: LiveTargeting
  frequencyCap: FrequencyCap | null
  placementIds: ReadonlySet<string> | null
}

/** An approved copy variant: replaces the ad's body in personalized decisions for users in its segment. */
export interface LiveCopy {
  variantId: string
  segmentId: string
  text: string
  audience: string | null
}

export interface LiveAd {
  adId: string
  campaign: LiveCampaign
  title: string
  body: string
  imageUrl: string | null
  clickUrl: string
  format: string
  categories: string[]
  /** Overall counts and counts per page category. */
  stats: Counts
  featureStats: Map<string, Counts>
  posterior: BetaParams
  /** Ordering key within a tier: the bid value at an optimistic CTR. */
  bound: number
  /** Approved copy per segment id; undefined when the ad has none. */
  copies: ReadonlyMap<string, LiveCopy> | undefined
}

/** What a page is, as the decision sees it. */
export interface PageContext {
  keywords: ReadonlySet<string>
  words: ReadonlySet<string>
  urlWords: ReadonlySet<string>
  url: string
  categories: string[]
  inferred: { category: string; words: string[] }[]
  language: string | undefined
  country: string | undefined
}

/** What is known about the user; undefined when the decision must not be personalized. */
export interface UserSignals {
  segments: ReadonlySet<string>
  interests: ReadonlySet<string>
  /** Impression times (ms) per campaign, for frequency caps. */
  impressions: ReadonlyMap<string, readonly number[]>
}

export type { Reason }
