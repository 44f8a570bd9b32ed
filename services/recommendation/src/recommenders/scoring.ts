import { TopK } from './top-k.ts'
import type { History, Recommender, RecommendOptions, Scored, Scoring } from './types.ts'

/** The allow-filter of a request: not already in the history (unless asked), not excluded, passing the filter; negatives never. */
export function allowFor(history: History, opts: Omit<RecommendOptions, 'k'>): (item: number) => boolean {
  const blocked = new Set<number>()
  for (let i = 0; i < history.items.length; i++) {
    if (!opts.includeHistory || (history.weights[i] as number) < 0) blocked.add(history.items[i] as number)
  }
  const { exclude, filter } = opts
  return (item) => !blocked.has(item) && !exclude?.has(item) && (filter === undefined || filter(item))
}

/** Fold the history in, score, filter and keep the k best. The one call a request needs. */
export function recommend(model: Recommender, history: History, opts: RecommendOptions): Scored[] {
  const scoring = model.prepare(history, opts.now)
  return scoring.top(opts.k, allowFor(history, opts)).map((s) => {
    const because = scoring.because(s.item)
    return because.length > 0 ? { ...s, because } : s
  })
}

/** Top n over a dense score vector (one score per item). */
export function topOfDense(scores: ArrayLike<number>, n: number, allow: (item: number) => boolean): Scored[] {
  const heap = new TopK(n)
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number
    if (s > heap.threshold && allow(i)) heap.push(i, s)
  }
  return heap.sorted()
}

/**
 * Top n over items taken in a precomputed best-first order (e.g. by popularity) with scores `score`:
 * stops as soon as n allowed items are found, so it is O(n + skipped), not O(items).
 */
export function topOfOrder(order: Int32Array, score: (item: number) => number, n: number, allow: (item: number) => boolean): Scored[] {
  const out: Scored[] = []
  for (let i = 0; i < order.length && out.length < n; i++) {
    const item = order[i] as number
    if (allow(item)) out.push({ item, score: score(item) })
  }
  return out
}

/** Scores of a sparse set of items (ascending item order), with up to two contributing history items each (−1: none). */
export interface SparseScores {
  items: Int32Array
  scores: Float32Array
  because1: Int32Array
  because2: Int32Array
}

/** Scoring over sparse scores: items not listed score 0 and rank after every listed positive one. */
export function sparseScoring(s: SparseScores, fallback?: Scoring): Scoring {
  const find = (item: number): number => {
    let lo = 0
    let hi = s.items.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const v = s.items[mid] as number
      if (v === item) return mid
      if (v < item) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
  return {
    top(n, allow) {
      const heap = new TopK(n)
      for (let i = 0; i < s.items.length; i++) {
        const score = s.scores[i] as number
        if (score > 0 && score > heap.threshold && allow(s.items[i] as number)) heap.push(s.items[i] as number, score)
      }
      const out = heap.sorted()
      if (out.length < n && fallback) {
        // Fill with the fallback's ranking (e.g. popularity) below every scored item.
        const have = new Set(out.map((x) => x.item))
        for (const x of fallback.top(n, (item) => !have.has(item) && find(item) < 0 && allow(item))) {
          if (out.length >= n) break
          out.push({ item: x.item, score: 0 })
        }
      }
      return out
    },
    score(item) {
      const at = find(item)
      return at < 0 ? 0 : (s.scores[at] as number)
    },
    because(item) {
      const at = find(item)
      if (at < 0) return []
      const a = s.because1[at] as number
      const b = s.because2[at] as number
      return a < 0 ? [] : b < 0 ? [a] : [a, b]
    },
  }
}

/** Item-item neighbour lists: row i holds up to N neighbours of item i with their similarity, best first. */
export interface Neighbours {
  indptr: Int32Array
  indices: Int32Array
  weights: Float32Array
}

export function neighboursOf(nb: Neighbours, item: number, k: number): Scored[] {
  const out: Scored[] = []
  if (item < 0 || item + 1 >= nb.indptr.length) return out
  const end = Math.min(nb.indptr[item + 1] as number, (nb.indptr[item] as number) + k)
  for (let p = nb.indptr[item] as number; p < end; p++) out.push({ item: nb.indices[p] as number, score: nb.weights[p] as number })
  return out
}

/** Dense per-model scratch for `accumulateNeighbours`: slot[j] = 1 + position of j among the touched items, 0 when untouched. */
export function neighbourScratch(items: number): Int32Array {
  return new Int32Array(items)
}

/**
 * score[j] = Σ_h affinity[h] · sim(h, j) over the neighbour lists of the history items, keeping for
 * each j the two history items with the largest contributions. `slot` is caller-owned dense scratch
 * (length ≥ items) that is left zeroed, so a request allocates only O(touched), not O(items).
 */
export function accumulateNeighbours(nb: Neighbours, historyItems: Int32Array, affinity: ArrayLike<number>, slot: Int32Array): SparseScores {
  let bound = 0
  for (let h = 0; h < historyItems.length; h++) {
    const item = historyItems[h] as number
    if (item >= 0 && item + 1 < nb.indptr.length) bound += (nb.indptr[item + 1] as number) - (nb.indptr[item] as number)
  }
  const touched = new Int32Array(bound)
  const acc = new Float64Array(bound)
  const b1 = new Int32Array(bound)
  const v1 = new Float64Array(bound)
  const b2 = new Int32Array(bound)
  const v2 = new Float64Array(bound)
  let nTouched = 0
  for (let h = 0; h < historyItems.length; h++) {
    const a = affinity[h] as number
    if (a === 0) continue
    const item = historyItems[h] as number
    if (item < 0 || item + 1 >= nb.indptr.length) continue
    for (let p = nb.indptr[item] as number, end = nb.indptr[item + 1] as number; p < end; p++) {
      const j = nb.indices[p] as number
      const c = a * (nb.weights[p] as number)
      let at = (slot[j] as number) - 1
      if (at < 0) {
        at = nTouched++
        slot[j] = at + 1
        touched[at] = j
        b1[at] = -1
        b2[at] = -1
      }
      acc[at] = (acc[at] as number) + c
      if (c > (v1[at] as number)) {
        b2[at] = b1[at] as number
        v2[at] = v1[at] as number
        b1[at] = item
        v1[at] = c
      } else if (c > (v2[at] as number)) {
        b2[at] = item
        v2[at] = c
      }
    }
  }
  const n = nTouched
  // Touched items are distinct, so a numeric sort of them plus their slots gives the order.
  const sortedItems = touched.slice(0, n).sort()
  const out: SparseScores = { items: sortedItems, scores: new Float32Array(n), because1: new Int32Array(n), because2: new Int32Array(n) }
  for (let i = 0; i < n; i++) {
    const j = sortedItems[i] as number
    const at = (slot[j] as number) - 1
    slot[j] = 0
    out.scores[i] = acc[at] as number
    out.because1[i] = b1[at] as number
    out.because2[i] = b2[at] as number
  }
  return out
}
