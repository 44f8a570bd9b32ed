import type { Reason, Tier } from '../db.ts'
import type { LiveAd, PageContext, UserSignals } from './live.ts'
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

/** Ads of one format, per tier, best optimistic value first. */
export type AdsByTier = Readonly<Record<Tier, readonly LiveAd[]>>

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
}

export interface DecideInput {
  placements: readonly PlacementAsk[]
  adsFor(format: string): AdsByTier | undefined
  page: PageContext
  /** Undefined: context only (no consent, or the non-personalized switch). */
  user: UserSignals | undefined
  now: number
}

/**
 * Chooses an ad per placement: within the highest tier that has an eligible ad, Thompson sampling
 * of each candidate's CTR (per page category when it has data there) weighted by its bid, so the
 * winner maximizes sampled price × CTR. An ad is shown at most once per request.
 */
export function decide(input: DecideInput, rng: Rng, o: DecideOptions = defaultDecideOptions): (Choice | undefined)[] {
  const used = new Set<string>()
  const targetingOf = new Map<string, Reason[] | null>()
  const blockedOf = new Map<string, boolean>()
  const feature = input.page.categories[0]?.split('-')[0] ?? input.page.inferred[0]?.category.split('-')[0] ?? ''
  return input.placements.map((p) => {
    const byTier = input.adsFor(p.format)
    if (!byTier) return undefined
    for (const tier of tierOrder) {
      const pool: LiveAd[] = []
      const reasons: Reason[][] = []
      for (const ad of byTier[tier]) {
        if (pool.length >= o.maxCandidates) break
        if (used.has(ad.adId)) continue
        const c = ad.campaign
        if (c.placementIds && !c.placementIds.has(p.placementId)) continue
        if (!canServe(c, input.now)) continue
        let blocked = blockedOf.get(c.advertiserId)
        if (blocked === undefined) {
          blocked = blockedFor(c.blockedCategories, input.page)
          blockedOf.set(c.advertiserId, blocked)
        }
        if (blocked) continue
        let matched = targetingOf.get(c.campaignId)
        if (matched === undefined) {
          const r = matchTargeting(c.targeting, input.page, input.user)
          matched = r.ok ? r.reasons : null
          targetingOf.set(c.campaignId, matched)
        }
        if (!matched) continue
        if (input.user && !underCap(c.frequencyCap, input.user.impressions.get(c.campaignId), input.now)) continue
        pool.push(ad)
        reasons.push(matched)
      }
      if (pool.length === 0) continue
      const allPosteriors: BetaParams[] = pool.map((ad) => (feature ? featurePosterior(ad.posterior, ad.featureStats.get(feature)) : ad.posterior))
      const allWeights = pool.map((ad) => bidWeight(ad.campaign, o.priorMean))
      const live = contenders(allPosteriors, allWeights)
      const weights = live.map((i) => allWeights[i] as number)
      const pick = thompsonChoose(
        rng,
        live.map((i) => allPosteriors[i] as BetaParams),
        weights,
        o.propensityDraws,
      )
      const chosen = live[pick.index] as number
      const ad = pool[chosen] as LiveAd
      used.add(ad.adId)
      return {
        ad,
        tier,
        value: (weights[pick.index] as number) * pick.ctr,
        propensity: pick.propensity,
        feature,
        eligible: pool.length,
        reasons: reasons[chosen] as Reason[],
      }
    }
    return undefined
  })
}
