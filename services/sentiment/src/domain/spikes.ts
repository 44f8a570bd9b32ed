/** Counts of scored texts over a period. */
export interface NegativeCounts {
  total: number
  negative: number
}

export interface SpikeOptions {
  /** Fewest negative texts in the window for an alert (a handful of complaints is not a crisis). */
  minNegative: number
  /** Lowest negative share in the window. */
  minShare: number
  /** The window's share must be at least this multiple of the baseline's. */
  minLift: number
  /** Prior negative share and its weight in texts: a key with little history is compared to this. */
  priorShare: number
  priorWeight: number
}

export const defaultSpikeOptions: SpikeOptions = { minNegative: 5, minShare: 0.4, minLift: 2, priorShare: 0.15, priorWeight: 20 }

export interface SpikeVerdict {
  spike: boolean
  negativeShare: number
  /** Smoothed baseline share: (negative + priorShare·priorWeight) / (total + priorWeight). */
  baselineShare: number
}

/**
 * A spike is a sudden rise of negative sentiment: enough negative texts in the window, a high
 * negative share, and that share well above the key's own (smoothed) baseline before the window.
 */
export function detectSpike(window: NegativeCounts, baseline: NegativeCounts, o: SpikeOptions = defaultSpikeOptions): SpikeVerdict {
  const negativeShare = window.total > 0 ? window.negative / window.total : 0
  const baselineShare = (baseline.negative + o.priorShare * o.priorWeight) / (baseline.total + o.priorWeight)
  const spike = window.negative >= o.minNegative && negativeShare >= o.minShare && negativeShare >= o.minLift * baselineShare
  return { spike, negativeShare, baselineShare }
}
