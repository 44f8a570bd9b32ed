import type { AdDecisionRequest } from '@attune/contracts'
import { errors, timeOrderedId } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import { type DecideOptions, decide, defaultDecideOptions } from '../domain/decide.ts'
import type { Serving } from '../serving/serving.ts'
import type { LoggedChoice } from '../store/decisions-store.ts'
import { type DecisionClaims, signRequest } from '../tracking/token.ts'
import type { PlacedAd } from './decision-json.ts'

/** What `POST /v1/decisions` answers; a placement without an ad is its id alone. */
export interface Decided {
  requestId: string
  personalized: boolean
  placements: (PlacedAd | string)[]
}

/** The choice's options for a config, made once (not an object per request). */
const optionsByConfig = new WeakMap<AdsConfig, DecideOptions>()

function decideOptionsOf(config: AdsConfig): DecideOptions {
  let o = optionsByConfig.get(config)
  if (!o) {
    o = { ...defaultDecideOptions, priorMean: config.ADS_PRIOR_CTR }
    optionsByConfig.set(config, o)
  }
  return o
}

/**
 * Answers `POST /v1/decisions` from memory: the live catalog, the cached user, the domain's
 * choice; the decisions are logged behind. Unknown placements are a 400 naming the entry.
 */
export async function makeDecision(serving: Serving, config: AdsConfig, body: AdDecisionRequest, now: Date): Promise<Decided> {
  const catalog = await serving.live()
  const asks = body.placements.map((p, i) => {
    const known = serving.placements.get(p.placementId)
    if (!known) throw errors.invalid(`/placements/${i}/placementId`, `is not a known placement (${p.placementId})`)
    return { placementId: p.placementId, format: known.format }
  })
  const user = await serving.user(body.userKey)
  const page = serving.pages.get(body.context)
  const at = now.getTime()
  const choices = decide(
    { placements: asks, adsFor: (f) => catalog.adsFor(f), vocabulary: catalog.vocabulary, page, user: user.signals, now: at },
    serving.rng,
    decideOptionsOf(config),
  )
  const requestId = timeOrderedId(at)
  const userId = user.personalized ? (body.userKey ?? null) : null
  const logged: LoggedChoice[] = []
  const placements: (PlacedAd | string)[] = []
  const placed: PlacedAd[] = []
  const signed: DecisionClaims[] = []
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i]
    const placementId = (asks[i] as { placementId: string }).placementId
    if (!choice) {
      placements.push(placementId)
      continue
    }
    const decisionId = timeOrderedId(at)
    const c = choice.ad.campaign
    logged.push({
      decisionId,
      placementId,
      adId: choice.ad.adId,
      campaignId: c.campaignId,
      tier: choice.tier,
      value: choice.value,
      propensity: choice.propensity,
      feature: choice.feature,
      reasons: choice.reasons,
      copyVariantId: choice.copy?.variantId ?? null,
      copySegmentId: choice.copy?.segmentId ?? null,
    })
    signed.push({ d: decisionId, a: choice.ad.adId, c: c.campaignId, p: placementId, f: choice.feature })
    // Its token is set below, once the request's decisions are signed together.
    const ad: PlacedAd = { placementId, decisionId, ad: choice.ad, copyText: choice.copy?.text, token: '' }
    placed.push(ad)
    placements.push(ad)
  }
  if (signed.length > 0) {
    const tokens = signRequest(config.ADS_SIGNING_SECRET, { ...(body.userKey ? { u: body.userKey } : {}), z: user.personalized ? 1 : 0, t: at }, signed)
    placed.forEach((ad, i) => {
      ad.token = tokens[i] as string
    })
  }
  // Decision ids carry the request's time (`at`): `findDecision` finds their row by it.
  serving.decisions.record({ requestId, userId, personalized: user.personalized, createdAt: at, decisions: logged })
  return { requestId, personalized: user.personalized, placements }
}
