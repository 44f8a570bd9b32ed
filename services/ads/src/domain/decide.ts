import type { Reason, Tier } from '../db.ts'
import { type AdsByTier, requestKeys, scanCandidates, type TierIndex } from './ad-index.ts'
import { cpcAt, hasFeaturesAt, pacingAt, posteriorAAt, posteriorBAt, priceAt } from './ad-state.ts'
import { adaptedCopy } from './copy.ts'
import type { LiveAd, LiveCampaign, LiveCopy, PageContext, UserSignals } from './live.ts'
import { tierOrder } from './live.ts'
import { canServe } from './pacing.ts'
import type { Rng } from './random.ts'
import { blockedFor, matchTargeting, underCap } from './targeting.ts'
import { candidates, featurePosterior, keepContenders, thompsonAmong } from './thompson.ts'
import { bidWeightOf } from './value.ts'

export interface DecideOptions {
  /** Eligible ads sampled per placement: the best by optimistic value (see LiveAd.bound). */
  maxCandidates: number
  /** Extra Thompson rounds to estimate the chosen ad's propensity. */
  propensityDraws: number
  priorMean: number
}

export const defaultDecideOptions: DecideOptions = { maxCandidates: 16, propensityDraws: 16, priorMean: 0.01 }

export interface PlacementAsk {
  placementId: string
  format: string
}

export interface Choice {
  ad: LiveAd
  tier: Tier
  /** Sampled expected value per impression (w·θ). */
  value: number
  propensity: number
  /** The page's main category (tier 1), whose counts the impression and click add to ('' = none). */
  feature: string
  eligible: number
  reasons: Reason[]
  /** Approved copy for one of the user's segments, shown instead of the ad's body (personalized decisions only). */
  copy: LiveCopy | undefined
}

export interface DecideInput {
  placements: readonly PlacementAsk[]
  adsFor(format: string): AdsByTier | undefined
  /** Every keyword some campaign targets (page words outside it are not looked up); all words when absent. */
  vocabulary?: ReadonlySet<string>
  page: PageContext
  /** Undefined: context only (no consent, or the non-personalized switch). */
  user: UserSignals | undefined
  now: number
}

/** Numbers each decide() call so what earlier calls found (TierIndex.matched) reads as stale (decide runs synchronously). */
let decideSeq = 0

/** The targeting that matched, or null when it did not or the advertiser blocks the page. */
function matchCampaign(c: LiveCampaign, page: PageContext, user: UserSignals | undefined): Reason[] | null {
  if (blockedFor(c.blockedCategories, page)) return null
  const r = matchTargeting(c.targeting, page, user)
  return r.ok ? r.reasons : null
}

/**
 * Whether a list of blocked categories blocks the page of the current decide() call: found once per
 * decision and list (advertisers share few lists); one Map, cleared per call.
 */
const blockedAnswers = new Map<readonly string[], boolean>()

/**
 * The candidates of the placement being decided, reused (decide runs synchronously, one call at a
 * time): the first `poolSize` entries. Emptied by resetting the count, not the arrays' length:
 * setting a length of 0 drops an array's storage, which the next pushes then allocate again.
 */
const pool: LiveAd[] = []
const poolRanks: number[] = []
const poolReasons: Reason[][] = []
let poolSize = 0

/**
 * Chooses an ad per placement: within the highest tier that has an eligible ad, Thompson sampling
 * of each candidate's CTR (per page category when it has data there) weighted by its bid, so the
 * winner maximizes sampled price × CTR. An ad is shown at most once per request.
 */
export function decide(input: DecideInput, rng: Rng, o: DecideOptions = defaultDecideOptions): (Choice | undefined)[] {
  const seq = ++decideSeq
  const used: LiveAd[] = []
  const feature = input.page.categories[0]?.split('-')[0] ?? input.page.inferred[0]?.category.split('-')[0] ?? ''
  const { page, user, now } = input
  const keys = requestKeys(page, user, input.vocabulary)
  let placementId = ''
  let index: TierIndex | undefined
  blockedAnswers.clear()
  const blocked = (list: readonly string[]): boolean => {
    let answer = blockedAnswers.get(list)
    if (answer === undefined) {
      answer = blockedFor(list, page)
      blockedAnswers.set(list, answer)
    }
    return answer
  }
  const visit = (rank: number, sure: Reason[] | undefined): boolean => {
    const t = index as TierIndex
    const ad = t.all[rank] as LiveAd
    if (used.length > 0 && used.includes(ad)) return true
    let matched = sure ?? null
    if (matched && t.blockedId[rank] !== 0 && blocked(t.blockedLists[t.blockedId[rank] as number] as readonly string[])) return true
    if (!matched) {
      if (t.matchedSeq[rank] !== seq) {
        t.matchedSeq[rank] = seq
        t.matched[rank] = matchCampaign(ad.campaign, page, user)
      }
      matched = t.matched[rank] as Reason[] | null
      if (!matched) return true
    }
    if (!sure) {
      const ids = ad.campaign.placementIds
      if (ids && !ids.has(placementId)) return true
    }
    if (user && user.impressions.size > 0 && t.capped[rank] === 1) {
      const c = ad.campaign
      if (!underCap(c.frequencyCap, user.impressions, c.campaignId, now)) return true
    }
    if (!canServe(pacingAt(t.state, rank), now)) return true
    pool[poolSize] = ad
    poolRanks[poolSize] = rank
    poolReasons[poolSize] = matched
    poolSize++
    return poolSize < o.maxCandidates
  }
  const out: (Choice | undefined)[] = []
  for (const p of input.placements) {
    const byTier = input.adsFor(p.format)
    let choice: Choice | undefined
    placementId = p.placementId
    for (let k = 0; byTier && k < tierOrder.length && !choice; k++) {
      const tier = tierOrder[k] as Tier
      poolSize = 0
      index = byTier[tier]
      scanCandidates(index, keys, visit)
      if (poolSize > 0) choice = sampled(index.state, tier, feature, user, rng, o)
    }
    if (choice) used.push(choice.ad)
    out.push(choice)
  }
  return out
}

/** Thompson sampling among the pool (a tier's eligible ads): their posteriors per page feature, weighted by bid. */
function sampled(state: Float64Array, tier: Tier, feature: string, user: UserSignals | undefined, rng: Rng, o: DecideOptions): Choice {
  const n = poolSize
  const c = candidates(n)
  for (let i = 0; i < n; i++) {
    const rank = poolRanks[i] as number
    if (feature && hasFeaturesAt(state, rank)) {
      const ad = pool[i] as LiveAd
      const p = featurePosterior(ad.posterior, ad.featureStats.get(feature))
      c.a[i] = p.a
      c.b[i] = p.b
    } else {
      c.a[i] = posteriorAAt(state, rank)
      c.b[i] = posteriorBAt(state, rank)
    }
    c.w[i] = bidWeightOf(cpcAt(state, rank), priceAt(state, rank), o.priorMean)
  }
  const m = keepContenders(c, n, true)
  const pick = thompsonAmong(rng, m, o.propensityDraws)
  const chosen = c.live[pick.index] as number
  const ad = pool[chosen] as LiveAd
  const matched = poolReasons[chosen] as Reason[]
  return {
    ad,
    tier,
    value: (c.w[pick.index] as number) * pick.ctr,
    propensity: pick.propensity,
    feature,
    eligible: n,
    reasons: matched,
    copy: adaptedCopy(ad, user, matched),
  }
}
