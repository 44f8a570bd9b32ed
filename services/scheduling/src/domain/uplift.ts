/** Sent and engaged counts of one group of a campaign. */
export interface GroupOutcome {
  sent: number
  engaged: number
}

/**
 * Engagement rate per group and the uplift of personalized timing over the random-time holdout:
 * absolute (rate_p − rate_h) and relative ((rate_p − rate_h) / rate_h); null when a group has
 * nothing sent yet, or the holdout rate is 0 for the relative one.
 */
export function upliftOf(personalized: GroupOutcome, holdout: GroupOutcome) {
  const rate = (g: GroupOutcome) => (g.sent > 0 ? g.engaged / g.sent : null)
  const rp = rate(personalized)
  const rh = rate(holdout)
  const round = (x: number) => Math.round(x * 10_000) / 10_000
  return {
    personalizedRate: rp === null ? null : round(rp),
    holdoutRate: rh === null ? null : round(rh),
    absolute: rp === null || rh === null ? null : round(rp - rh),
    relative: rp === null || rh === null || rh === 0 ? null : round((rp - rh) / rh),
  }
}
