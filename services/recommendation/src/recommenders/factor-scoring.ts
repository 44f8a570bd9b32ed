import { dot } from './linalg.ts'
import { TopK } from './top-k.ts'
import type { Scored, Scoring } from './types.ts'

/**
 * Scoring for a factor model: score(j) = dot(user, item_j) (+ bias_j). `top` scans every item:
 * items × dim multiply-adds (6.4 M for 100k × 64, ≈ 5 ms); pass `candidates` to restrict it.
 */
export function factorScoring(
  user: Float32Array,
  items: Float32Array,
  dim: number,
  bias?: Float32Array,
  because?: (item: number) => number[],
  candidates?: (n: number) => Int32Array,
): Scoring {
  const count = items.length / dim
  const score = (item: number): number => (item < 0 || item >= count ? 0 : dot(items, item * dim, user, 0, dim) + (bias ? (bias[item] as number) : 0))
  return {
    top(n: number, allow: (item: number) => boolean): Scored[] {
      const heap = new TopK(n)
      if (candidates) {
        for (const j of candidates(n)) if (allow(j)) heap.push(j, score(j))
        return heap.sorted()
      }
      for (let j = 0; j < count; j++) {
        let s = bias ? (bias[j] as number) : 0
        const o = j * dim
        for (let f = 0; f < dim; f++) s += (items[o + f] as number) * (user[f] as number)
        if (s > heap.threshold && allow(j)) heap.push(j, s)
      }
      return heap.sorted()
    },
    score,
    because: because ?? (() => []),
  }
}

/** The history items whose factors agree most with the item (largest affinity · cosine), for explanations. */
export function factorBecause(
  historyItems: Int32Array,
  affinity: ArrayLike<number>,
  items: Float32Array,
  dim: number,
  norms: Float32Array,
): (item: number) => number[] {
  return (item) => {
    let best = -1
    let bestScore = 0
    for (let h = 0; h < historyItems.length; h++) {
      const i = historyItems[h] as number
      const a = affinity[h] as number
      if (a <= 0 || i === item) continue
      const s = (a * dot(items, i * dim, items, item * dim, dim)) / ((norms[i] as number) * (norms[item] as number) || 1)
      if (s > bestScore) {
        bestScore = s
        best = i
      }
    }
    return best < 0 ? [] : [best]
  }
}

/** ‖item_j‖ for each item. */
export function rowNorms(items: Float32Array, dim: number): Float32Array {
  const n = items.length / dim
  const out = new Float32Array(n)
  for (let j = 0; j < n; j++) out[j] = Math.sqrt(dot(items, j * dim, items, j * dim, dim))
  return out
}

/** Items most similar to `item` by cosine of their factors (a full scan). */
export function similarByFactors(items: Float32Array, dim: number, norms: Float32Array, item: number, k: number): Scored[] {
  const n = items.length / dim
  if (item < 0 || item >= n) return []
  const heap = new TopK(k)
  const ni = (norms[item] as number) || 1
  for (let j = 0; j < n; j++) {
    if (j === item) continue
    heap.push(j, dot(items, j * dim, items, item * dim, dim) / (ni * ((norms[j] as number) || 1)))
  }
  return heap.sorted()
}
