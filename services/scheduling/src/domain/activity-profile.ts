import { BINS } from './activity-increments.ts'

/**
 * The shape new installs start from before any audience data: people engage in the morning, over
 * lunch and most in the evening, less at night, a little less at weekends. Sums to 1.
 */
export const DEFAULT_PRIOR: Float64Array = (() => {
  const hourly = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 2.5, 2, 2, 3, 2.5, 2, 2, 2.5, 3, 3.5, 4, 4.5, 4, 3, 2]
  const out = new Float64Array(BINS)
  for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) out[d * 24 + h] = (hourly[h] ?? 1) * (d >= 5 ? 0.8 : 1)
  return normalize(out)
})()

/** Scales to sum 1 (a zero vector stays zero). */
export function normalize(v: Float64Array): Float64Array {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i] ?? 0
  if (s > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / s
  return v
}

/** Share of each bin pooled with the same hour on the other days of its kind (weekdays, or the weekend). */
export const DAY_POOLING = 0.5

/**
 * Decayed bins: stored forward-decayed weights divided by the divisor at `now`, each hour then
 * sharing a third of its weight with the hours either side (an open at 19:55 also says something
 * about 20:00), and half of it with the same hour on the days of its kind — weekdays behave alike,
 * and so do weekend days, which keeps the most recent weekday from winning on recency alone.
 * Returns the bins and their total (effective recent events).
 */
export function decayedBins(stored: ArrayLike<number>, divisor: number, out?: Float64Array): { bins: Float64Array; total: number } {
  // The smoothed, not yet pooled bins go into a scratch buffer: planning calls this for 100k users.
  const bins = scratch.fill(0)
  let total = 0
  for (let h = 0; h < BINS; h++) {
    const v = (stored[h] ?? 0) / divisor
    if (v === 0) continue
    total += v
    bins[h] = (bins[h] ?? 0) + v * (2 / 3)
    const prev = (h + BINS - 1) % BINS
    const next = (h + 1) % BINS
    bins[prev] = (bins[prev] ?? 0) + v / 6
    bins[next] = (bins[next] ?? 0) + v / 6
  }
  return { bins: poolDays(bins, out), total }
}

const scratch = new Float64Array(BINS)

/** Mixes each bin with the mean of the same hour over its day kind (Mon–Fri, or Sat–Sun); into `out` when given. */
export function poolDays(bins: Float64Array, out: Float64Array = new Float64Array(BINS)): Float64Array {
  for (let h = 0; h < 24; h++) {
    let weekday = 0
    let weekend = 0
    for (let d = 0; d < 5; d++) weekday += bins[d * 24 + h] ?? 0
    for (let d = 5; d < 7; d++) weekend += bins[d * 24 + h] ?? 0
    for (let d = 0; d < 7; d++) {
      const mean = d < 5 ? weekday / 5 : weekend / 2
      out[d * 24 + h] = (1 - DAY_POOLING) * (bins[d * 24 + h] ?? 0) + DAY_POOLING * mean
    }
  }
  return out
}

/**
 * Bayesian shrinkage: (counts + κ · prior) / (total + κ). With no history it is the prior; with
 * `κ` effective events the two weigh the same. Into `out` when given, which may be `counts` or
 * `prior` (each bin is read before it is written).
 */
export function shrink(counts: Float64Array, total: number, prior: Float64Array, kappa: number, out: Float64Array = new Float64Array(BINS)): Float64Array {
  const denom = total + kappa
  for (let h = 0; h < BINS; h++) out[h] = ((counts[h] ?? 0) + kappa * (prior[h] ?? 0)) / denom
  return out
}

/** Mean of several distributions (a user in several segments). */
export function meanOf(dists: Float64Array[]): Float64Array | undefined {
  if (dists.length === 0) return undefined
  const out = new Float64Array(BINS)
  for (const d of dists) for (let h = 0; h < BINS; h++) out[h] = (out[h] ?? 0) + (d[h] ?? 0) / dists.length
  return out
}
