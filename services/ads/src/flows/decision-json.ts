import type { LiveAd } from '../domain/live.ts'

/** One placement's answer as the response writes it: no ad, or the ad with its token. */
export interface PlacedAd {
  placementId: string
  decisionId: string
  ad: LiveAd
  /** The copy variant's text shown instead of the ad's body, if any. */
  copyText: string | undefined
  token: string
}

/** `"ad":{…,"body":` and `,"imageUrl":…}` of each ad, serialized once per catalog load (ads are replaced, not edited, on reload). */
const fragments = new WeakMap<LiveAd, { head: string; tail: string }>()

function fragmentOf(ad: LiveAd): { head: string; tail: string } {
  let f = fragments.get(ad)
  if (!f) {
    const c = ad.campaign
    f = {
      head: `"ad":{"adId":${JSON.stringify(ad.adId)},"campaignId":${JSON.stringify(c.campaignId)},"advertiserId":${JSON.stringify(c.advertiserId)},"title":${JSON.stringify(ad.title)},"body":`,
      tail: `,"imageUrl":${JSON.stringify(ad.imageUrl)},"format":${JSON.stringify(ad.format)}}`,
    }
    fragments.set(ad, f)
  }
  return f
}

/**
 * The body of `POST /v1/decisions` (schema DecisionResponse) written directly: most of it is the
 * same per ad, so serializing it from the schema field by field on every request was wasted work.
 * Ids are UUIDs (validated or generated) and tokens base64url, so only texts need escaping.
 */
export class DecisionJson {
  private readonly impression: string
  private readonly click: string
  private readonly why: string

  /** `base`: the public URL links start with (empty: relative links). */
  constructor(base: string) {
    const root = JSON.stringify(base.replace(/\/$/, '')).slice(1, -1)
    this.impression = `,"impressionUrl":"${root}/v1/track/impression?token=`
    this.click = `","clickUrl":"${root}/v1/track/click?token=`
    this.why = `","whyUrl":"${root}/v1/decisions/`
  }

  write(requestId: string, personalized: boolean, placements: readonly (PlacedAd | string)[]): string {
    const p = personalized ? 'true' : 'false'
    let out = `{"requestId":"${requestId}","personalized":${p},"placements":[`
    for (let i = 0; i < placements.length; i++) {
      const x = placements[i] as PlacedAd | string
      if (i > 0) out += ','
      if (typeof x === 'string') {
        out += `{"placementId":${JSON.stringify(x)},"decision":null}`
        continue
      }
      const f = fragmentOf(x.ad)
      out += `{"placementId":${JSON.stringify(x.placementId)},"decision":{"decisionId":"${x.decisionId}",${f.head}${JSON.stringify(x.copyText ?? x.ad.body)}${f.tail}`
      out += `${this.impression}${x.token}${this.click}${x.token}${this.why}${x.decisionId}/why","personalized":${p}}}`
    }
    return `${out}]}`
  }
}
