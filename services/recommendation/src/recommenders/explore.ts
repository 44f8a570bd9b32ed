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
  const eligible = o.pool.filter((item) => !shown.has(item) && o.allow(item))
  for (let n = 0; n < slots && eligible.length > 0; n++) {
    const pick = Math.floor(o.random() * eligible.length)
    const item = eligible[pick] as number
    eligible.splice(pick, 1)
    // A slot among positions 1..length−1, so the best item stays first.
    const at = 1 + Math.floor(o.random() * (out.length - 1))
    out[at] = { item, score: (out[at] as Scored).score, reason: 'explore' }
  }
  return out
}

/** Items with at most `maxInteractions` interactions, newest first (by publishedAt when known). */
export function newItemPool(interactionCounts: ArrayLike<number>, publishedAt: ArrayLike<number>, maxInteractions: number, limit: number): number[] {
  const items: number[] = []
  for (let i = 0; i < interactionCounts.length; i++) if ((interactionCounts[i] as number) <= maxInteractions) items.push(i)
  return items.sort((a, b) => ((publishedAt[b] as number) || 0) - ((publishedAt[a] as number) || 0) || a - b).slice(0, limit)
}
