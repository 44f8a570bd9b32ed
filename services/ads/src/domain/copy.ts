import type { LiveAd, LiveCopy, Reason, UserSignals } from './live.ts'

/**
 * The approved copy a personalized decision shows instead of the ad's body: the one written for the
 * segment its targeting matched, else for the first of the user's segments the ad has copy for.
 * Without `user` (no consent, or the non-personalized switch) there is none: the original text.
 */
export function adaptedCopy(ad: LiveAd, user: UserSignals | undefined, reasons: readonly Reason[]): LiveCopy | undefined {
  if (!user || !ad.copies) return undefined
  for (const r of reasons) {
    if (r.kind !== 'segment') continue
    const c = ad.copies.get(r.value)
    if (c) return c
  }
  for (const [segmentId, c] of ad.copies) if (user.segments.has(segmentId)) return c
  return undefined
}
