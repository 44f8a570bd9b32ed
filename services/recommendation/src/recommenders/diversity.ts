import type { Scored } from './types.ts'

/** Similarity of two items in 0..1 (shared categories, cosine of embeddings, …). */
export type ItemSimilarity = (a: number, b: number) => number

/** Jaccard similarity of the items' category sets (items without categories are similar to nothing). */
export function categorySimilarity(categories: readonly (readonly string[] | undefined)[]): ItemSimilarity {
  // Each item's categories as sorted distinct ids: a pair is compared by one merge, no hashing.
  const ids = new Map<string, number>()
  const sets = categories.map((c) => {
    if (!c || c.length === 0) return undefined
    const out = new Int32Array(
      [...new Set(c)].map((x) => {
        let id = ids.get(x)
        if (id === undefined) {
          id = ids.size
          ids.set(x, id)
        }
        return id
      }),
    )
    return out.sort()
  })
  return (a, b) => {
    const x = sets[a]
    const y = sets[b]
    if (!x || !y) return 0
    let shared = 0
    for (let i = 0, j = 0; i < x.length && j < y.length; ) {
      const u = x[i] as number
      const v = y[j] as number
      if (u === v) {
        shared++
        i++
        j++
      } else if (u < v) i++
      else j++
    }
    return shared / (x.length + y.length - shared)
  }
}

/** Cosine of item embeddings (row-major, `dim` floats per item), clamped to 0..1. */
export function embeddingSimilarity(vectors: Float32Array, dim: number): ItemSimilarity {
  return (a, b) => {
    let ab = 0
    let aa = 0
    let bb = 0
    for (let f = 0; f < dim; f++) {
      const x = vectors[a * dim + f] as number
      const y = vectors[b * dim + f] as number
      ab += x * y
      aa += x * x
      bb += y * y
    }
    return aa === 0 || bb === 0 ? 0 : Math.max(0, ab / Math.sqrt(aa * bb))
  }
}

/**
 * MMR re-ranking (Carbonell & Goldstein 1998): repeatedly pick the candidate maximising
 * (1 − level)·relevance − level·max similarity to the items already picked, relevance being the
 * score rescaled to 0..1 over the candidates. level 0 keeps the order; 1 maximises spread.
 * O(k · candidates) similarity calls.
 */
export function diversify(candidates: readonly Scored[], k: number, level: number, similarity: ItemSimilarity): Scored[] {
  const lambda = Math.min(1, Math.max(0, level))
  if (lambda === 0 || candidates.length <= 1) return candidates.slice(0, k)
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const c of candidates) {
    lo = Math.min(lo, c.score)
    hi = Math.max(hi, c.score)
  }
  const range = hi - lo || 1
  const left = candidates.slice()
  const maxSim = new Float64Array(left.length)
  const picked: Scored[] = []
  while (picked.length < k && left.length > 0) {
    let best = 0
    let bestValue = Number.NEGATIVE_INFINITY
    for (let i = 0; i < left.length; i++) {
      const v = (1 - lambda) * (((left[i] as Scored).score - lo) / range) - lambda * (maxSim[i] as number)
      if (v > bestValue) {
        bestValue = v
        best = i
      }
    }
    const chosen = left[best] as Scored
    picked.push(chosen)
    left.splice(best, 1)
    maxSim.copyWithin(best, best + 1)
    for (let i = 0; i < left.length; i++) maxSim[i] = Math.max(maxSim[i] as number, similarity((left[i] as Scored).item, chosen.item))
  }
  return picked
}
