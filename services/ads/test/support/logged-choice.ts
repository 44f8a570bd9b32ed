import type { LoggedChoice } from '../../src/store/decisions-store.ts'

/** A decision as the serving path logs it, for the decision-log tests: a double and a reason that need care in JSON. */
export const loggedChoice = (decisionId: string, over: Partial<LoggedChoice> = {}): LoggedChoice => ({
  decisionId,
  placementId: 'p1',
  adId: 'a1',
  campaignId: 'c1',
  tier: 'standard',
  value: 0.012345678901234567,
  propensity: 11 / 17,
  feature: 'IAB17',
  reasons: [{ kind: 'keyword', value: 'cup "final"' }],
  copyVariantId: null,
  copySegmentId: null,
  ...over,
})
