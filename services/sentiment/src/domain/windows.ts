/** Aggregates are kept in 15-minute buckets; every window is a whole number of them. */
export const BUCKET_MS = 15 * 60_000

export const AggregateWindows = ['1h', '24h', '7d', '30d'] as const
export type AggregateWindow = (typeof AggregateWindows)[number]

/** Each window's length and the step of the series it returns. */
export const windowSpec: Record<AggregateWindow, { ms: number; stepMs: number }> = {
  '1h': { ms: 3_600_000, stepMs: BUCKET_MS },
  '24h': { ms: 86_400_000, stepMs: 3_600_000 },
  '7d': { ms: 7 * 86_400_000, stepMs: 6 * 3_600_000 },
  '30d': { ms: 30 * 86_400_000, stepMs: 86_400_000 },
}

/** Start of the bucket `t` falls in. */
export function bucketStart(t: Date, stepMs = BUCKET_MS): Date {
  return new Date(Math.floor(t.getTime() / stepMs) * stepMs)
}

/** The buckets a window ending at `now` covers: from the bucket `ms` back to the current bucket, inclusive. */
export function windowRange(now: Date, ms: number): { from: Date; to: Date } {
  const current = bucketStart(now)
  return { from: new Date(current.getTime() + BUCKET_MS - ms), to: new Date(current.getTime() + BUCKET_MS) }
}
