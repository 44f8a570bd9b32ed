import type { Reason, Tier } from '../db.ts'
import { type AdsByTier, requestKeys, scanCandidates } from './ad-index.ts'
import { adaptedCopy } from './copy.ts'
import type { DecideMemo, LiveAd, LiveCampaign, LiveCopy, PageContext, UserSignals } from './live.ts'
import { tierOrder } from './live.ts'
import { canServe } from './pacing.ts'
import type { Rng } from './random.ts'
import { blockedFor, matchTargeting, underCap } from './targeting.ts'
import { type BetaParams, contenders, featurePosterior, thompsonChoose } from './thompson.ts'
import { bidWeight } from './value.ts'

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

/** Numbers each decide() call so memos of earlier calls read as stale (decide runs synchronously). */
let decideSeq = 0

const memoOf = (c: LiveCampaign): DecideMemo => {
  let m = c.memo
  if (!m) {
    m = { seq: 0, matched: null }
    c.memo = m
  }
  return m
}

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
  const pool: LiveAd[] = []
  const reasons: Reason[][] = []
  const posteriors: BetaParams[] = []
  const weights: number[] = []
  let placementId = ''
  const visit = (ad: LiveAd): boolean => {
    const c = ad.campaign
    if (c.placementIds && !c.placementIds.has(placementId)) return true
    const memo = memoOf(c)
    if (memo.seq !== seq) {
      memo.seq = seq
      memo.matched = null
      if (!blockedFor(c.blockedCategories, page)) {
        const r = matchTargeting(c.targeting, page, user)
        if (r.ok) memo.matched = r.reasons
      }
    }
    const matched = memo.matched
    if (!matched) return true
    if (used.length > 0 && used.includes(ad)) return true
    if (!canServe(c, now)) return true
    if (user && !underCap(c.frequencyCap, user.impressions, c.campaignId, now)) return true
    pool.push(ad)
    reasons.push(matched)
    return pool.length < o.maxCandidates
  }
  return input.placements.map((p) => {
    const byTier = input.adsFor(p.format)
    if (!byTier) return undefined
    placementId = p.placementId
    for (const tier of tierOrder) {
      pool.length = 0
      reasons.length = 0
      scanCandidates(byTier[tier], keys, visit)
      if (pool.length === 0) continue
      posteriors.length = 0
      weights.length = 0
      for (const ad of pool) {
        posteriors.push(feature ? featurePosterior(ad.posterior, ad.featureStats.get(feature)) : ad.posterior)
        weights.push(bidWeight(ad.campaign, o.priorMean))
      }
      const live = contenders(posteriors, weights)
      const liveWeights = live.map((i) => weights[i] as number)
      const pick = thompsonChoose(
        rng,
        live.map((i) => posteriors[i] as BetaParams),
        liveWeights,
        o.propensityDraws,
      )
      const chosen = live[pick.index] as number
      const ad = pool[chosen] as LiveAd
      const matched = reasons[chosen] as Reason[]
      used.push(ad)
      return {
        ad,
        tier,
        value: (liveWeights[pick.index] as number) * pick.ctr,
        propensity: pick.propensity,
        feature,
        eligible: pool.length,
        reasons: matched,
        copy: adaptedCopy(ad, user, matched),
      }
    }
    return undefined
  })
}
