import { type InteractionRecordedData, isItemInteraction } from '@attune/contracts'
import { type InteractionWeights, interactionWeight } from './interaction-weights.ts'

export interface PopularityIncrement {
  itemId: string
  bucket: Date
  events: number
  score: number
}

const HOUR_MS = 3_600_000

export function hourBucket(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS)
}

/** Folds a batch of interactions into one increment per (item, hour). */
export function popularityIncrements(batch: InteractionRecordedData[], weights?: InteractionWeights): PopularityIncrement[] {
  const byKey = new Map<string, PopularityIncrement>()
  for (const { interaction, receivedAt } of batch) {
    if (!isItemInteraction(interaction)) continue
    const weight = interactionWeight(interaction, weights)
    if (weight === undefined) continue
    const bucket = hourBucket(new Date(interaction.time ?? receivedAt))
    const key = `${interaction.itemId}\u0000${bucket.getTime()}`
    const inc = byKey.get(key)
    if (inc) {
      inc.events++
      inc.score += weight
    } else byKey.set(key, { itemId: interaction.itemId, bucket, events: 1, score: weight })
  }
  return [...byKey.values()]
}

/** Trending windows and the half-life of the decay applied inside each. */
export const trendingWindows = {
  '1h': { windowMs: HOUR_MS, halfLifeMs: HOUR_MS / 2 },
  '24h': { windowMs: 24 * HOUR_MS, halfLifeMs: 6 * HOUR_MS },
  '7d': { windowMs: 7 * 24 * HOUR_MS, halfLifeMs: 2 * 24 * HOUR_MS },
  '30d': { windowMs: 30 * 24 * HOUR_MS, halfLifeMs: 7 * 24 * HOUR_MS },
} as const
export type TrendingWindow = keyof typeof trendingWindows

/** score(now) = Σ bucket.score · 0.5^(age / halfLife), age measured from the middle of the hour. */
export function decayedScore(buckets: { bucket: Date; score: number }[], now: Date, halfLifeMs: number): number {
  let s = 0
  for (const b of buckets) s += b.score * 0.5 ** (Math.max(0, now.getTime() - b.bucket.getTime() - HOUR_MS / 2) / halfLifeMs)
  return s
}
