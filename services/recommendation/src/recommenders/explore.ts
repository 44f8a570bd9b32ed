import type { Scored } from './types.ts'

export interface ExploreOptions {
  /** Share of the k slots given to exploration, 0..1 (at most ⌊share · k⌋ slots; never the first). */
  share: number
  /** Items eligible for exploration (new, few interactions), best first or in any order. */
  pool: readonly number[]
  /** Seeded generator in [0, 1); pass a per-request seed for reproducible slates. */
  random: () => number
  /** Items that may not be shown (history, exclusions, filters). */
  allow: (item: number) => boolean
}

/**
 * Replaces a small, bounded number of slots (not the top one) with items drawn at random from an
 * exploration pool, so new items collect the feedback that lets the other recommenders rank them.
 */
export function explore(list: readonly Scored[], k: number, o: ExploreOptions): Scored[] {
  const out = list.slice(0, k)
  const slots = Math.min(Math.floor(Math.max(0, Math.min(1, o.share)) * k), Math.max(0, out.length - 1))
  if (slots === 0 || o.pool.length === 0) return out
  const shown = new Set(out.map((s) => s.item))
  // Draw without replacement (a partial Fisher–Yates over a copy), checking only what is drawn:
  // the filter runs a few times per request, not once per pool item.
  const order = o.pool.slice()
  let remaining = order.length
  for (let n = 0; n < slots && remaining > 0; ) {
    const pick = Math.floor(o.random() * remaining)
    const item = order[pick] as number
    order[pick] = order[remaining - 1] as number
    remaining--
    if (shown.has(item) || !o.allow(item)) continue
    shown.add(item)
    const at = 1 + Math.floor(o.random() * (out.length - 1))
    out[at] = { item, score: (out[at] as Scored).score, reason: 'explore' }
    n++
  }
  return out
}

/** Items with at most `maxInteractions` interactions, newest first (by publishedAt when known). */
export function newItemPool(interactionCounts: ArrayLike<number>, publishedAt: ArrayLike<number>, maxInteractions: number, limit: number): number[] {
  const items: number[] = []
  for (let i = 0; i < interactionCounts.length; i++) if ((interactionCounts[i] as number) <= maxInteractions) items.push(i)
  return items.sort((a, b) => ((publishedAt[b] as number) || 0) - ((publishedAt[a] as number) || 0) || a - b).slice(0, limit)
}
