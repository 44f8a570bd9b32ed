import { signClaims, type TrackingClaims } from './token.ts'

/** The signed tracking links of one decision, under the public base URL (relative when it is empty). */
export function trackingLinks(base: string, secret: string, claims: TrackingClaims) {
  const token = signClaims(secret, claims)
  const root = base.replace(/\/$/, '')
  return {
    impressionUrl: `${root}/v1/track/impression?token=${token}`,
    clickUrl: `${root}/v1/track/click?token=${token}`,
    whyUrl: `${root}/v1/decisions/${claims.d}/why`,
  }
}
