import { decodeFloat32, decodeInt32, encodeArray, numberField } from './codec.ts'
import { decay } from './history.ts'
import { accumulateNeighbours, type Neighbours, neighbourScratch, neighboursOf, sparseScoring } from './scoring.ts'
import { TopK } from './top-k.ts'
import type { TrainingData } from './training-data.ts'
import type { History, ModelJson, Recommender, Scoring } from './types.ts'

export type SarSimilarity = 'cooccurrence' | 'jaccard' | 'lift' | 'cosine'

export interface SarOptions {
  similarity: SarSimilarity
  /** Half-life of a history item's affinity in ms (SAR's time decay); Infinity disables it. */
  halfLifeMs: number
  /** Neighbours kept per item (sparse similarity, so memory is O(items · N), not O(items²)). */
  neighbours: number
  /** Minimum co-occurrence count for a pair to count (SAR's threshold). */
  threshold: number
}

export const defaultSarOptions: SarOptions = { similarity: 'jaccard', halfLifeMs: 30 * 86_400_000, neighbours: 200, threshold: 1 }

export interface SarModel extends Recommender {
  readonly kind: 'sar'
  readonly options: SarOptions
  readonly neighbours: Neighbours
  /** Co-occurrence count behind each stored neighbour (parallel to neighbours.indices). */
  readonly counts: Float32Array
  /** Users with positive feedback per item (the co-occurrence diagonal). */
  readonly occurrences: Float32Array
  readonly now: number
  /**
   * Counts a new positive (user, item) pair at once: the item's occurrence and its co-occurrence
   * with each positive history item, where that pair is among the stored neighbours; similarities
   * of the touched pairs are recomputed. Pairs not stored wait for the next fit.
   */
  addInteraction(history: History, item: number): void
}

/** similarity of a pair from its co-occurrence count c and the two items' occurrence counts. */
export function sarSimilarity(kind: SarSimilarity, c: number, ci: number, cj: number): number {
  switch (kind) {
    case 'cooccurrence':
      return c
    case 'jaccard':
      return c / (ci + cj - c)
    case 'lift':
      return c / (ci * cj)
    case 'cosine':
      return c / Math.sqrt(ci * cj)
  }
}

/**
 * SAR (Smart Adaptive Recommendations, as in MS Recommenders): item-item co-occurrence over users
 * with positive feedback, turned into a similarity, kept as the top-N neighbours per item; a user's
 * score for j is Σ_h a_h · sim(h, j) with affinity a_h = w_h · 2^(−(now − t_h)/halfLife), so
 * negative feedback pushes the neighbours of a disliked item down.
 * Cost: Σ_users |items of u|² for the co-occurrence counts.
 */
export function fitSar(data: TrainingData, options: Partial<SarOptions> = {}): SarModel {
  const o = { ...defaultSarOptions, ...options }
  const nItems = data.itemIds.length
  const { byUser, byItem } = data
  const occurrences = new Float32Array(nItems)
  for (let i = 0; i < nItems; i++) {
    let c = 0
    for (let p = byItem.indptr[i] as number, end = byItem.indptr[i + 1] as number; p < end; p++) if ((byItem.values[p] as number) > 0) c++
    occurrences[i] = c
  }
  const acc = new Float32Array(nItems)
  const touched = new Int32Array(nItems)
  const indptr = new Int32Array(nItems + 1)
  let cap = Math.max(1024, nItems * Math.min(o.neighbours, 16))
  let indices = new Int32Array(cap)
  let weights = new Float32Array(cap)
  let counts = new Float32Array(cap)
  let nnz = 0
  for (let i = 0; i < nItems; i++) {
    let nTouched = 0
    for (let p = byItem.indptr[i] as number, end = byItem.indptr[i + 1] as number; p < end; p++) {
      if ((byItem.values[p] as number) <= 0) continue
      const u = byItem.indices[p] as number
      for (let q = byUser.indptr[u] as number, qend = byUser.indptr[u + 1] as number; q < qend; q++) {
        if ((byUser.values[q] as number) <= 0) continue
        const j = byUser.indices[q] as number
        if (acc[j] === 0) touched[nTouched++] = j
        acc[j] = (acc[j] as number) + 1
      }
    }
    const heap = new TopK(o.neighbours)
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t] as number
      const c = acc[j] as number
      if (j === i || c < o.threshold) continue
      heap.push(j, sarSimilarity(o.similarity, c, occurrences[i] as number, occurrences[j] as number))
    }
    if (nnz + heap.size > cap) {
      cap = Math.max(cap * 2, nnz + heap.size)
      indices = growTo(indices, cap)
      weights = growTo(weights, cap)
      counts = growTo(counts, cap)
    }
    for (const x of heap.sorted()) {
      indices[nnz] = x.item
      weights[nnz] = x.score
      counts[nnz] = acc[x.item] as number
      nnz++
    }
    for (let t = 0; t < nTouched; t++) acc[touched[t] as number] = 0
    indptr[i + 1] = nnz
  }
  const neighbours = { indptr, indices: indices.slice(0, nnz), weights: weights.slice(0, nnz) }
  return sarModel(o, neighbours, counts.slice(0, nnz), occurrences, data.now)
}

function growTo<T extends Int32Array | Float32Array>(a: T, cap: number): T {
  const b = (a instanceof Int32Array ? new Int32Array(cap) : new Float32Array(cap)) as T
  b.set(a)
  return b
}

function sarModel(options: SarOptions, neighbours: Neighbours, counts: Float32Array, occurrences: Float32Array, now: number): SarModel {
  const slot = neighbourScratch(occurrences.length)
  const recompute = (p: number, i: number): void => {
    neighbours.weights[p] = sarSimilarity(
      options.similarity,
      counts[p] as number,
      occurrences[i] as number,
      occurrences[neighbours.indices[p] as number] as number,
    )
  }
  const bump = (i: number, j: number): void => {
    for (let p = neighbours.indptr[i] as number, end = neighbours.indptr[i + 1] as number; p < end; p++) {
      if (neighbours.indices[p] !== j) continue
      counts[p] = (counts[p] as number) + 1
      recompute(p, i)
      return
    }
  }
  return {
    kind: 'sar',
    itemCount: occurrences.length,
    options,
    neighbours,
    counts,
    occurrences,
    now,
    prepare(history: History, at?: number): Scoring {
      const t = at ?? now
      const affinity = new Float64Array(history.items.length)
      for (let h = 0; h < affinity.length; h++) affinity[h] = (history.weights[h] as number) * decay(t - (history.times[h] as number), options.halfLifeMs)
      return sparseScoring(accumulateNeighbours(neighbours, history.items, affinity, slot))
    },
    similar: (item, k) => neighboursOf(neighbours, item, k),
    addInteraction(history, item) {
      if (item < 0 || item >= occurrences.length) return
      for (let h = 0; h < history.items.length; h++) if (history.items[h] === item && (history.weights[h] as number) > 0) return
      occurrences[item] = (occurrences[item] as number) + 1
      for (let h = 0; h < history.items.length; h++) {
        const i = history.items[h] as number
        if ((history.weights[h] as number) <= 0 || i === item) continue
        bump(i, item)
        bump(item, i)
      }
      for (let p = neighbours.indptr[item] as number, end = neighbours.indptr[item + 1] as number; p < end; p++) recompute(p, item)
    },
    toJSON: (): ModelJson => ({
      kind: 'sar',
      version: 1,
      options: { ...options, halfLifeMs: Number.isFinite(options.halfLifeMs) ? options.halfLifeMs : null },
      now,
      indptr: encodeArray(neighbours.indptr),
      indices: encodeArray(neighbours.indices),
      weights: encodeArray(neighbours.weights),
      counts: encodeArray(counts),
      occurrences: encodeArray(occurrences),
    }),
  }
}

export function loadSar(json: ModelJson): SarModel {
  if (json.version !== 1) throw new RangeError(`unsupported sar model version ${json.version}`)
  const raw = (json.options ?? {}) as Record<string, unknown>
  const options: SarOptions = {
    similarity: (raw.similarity as SarSimilarity | undefined) ?? defaultSarOptions.similarity,
    halfLifeMs: typeof raw.halfLifeMs === 'number' ? raw.halfLifeMs : Number.POSITIVE_INFINITY,
    neighbours: numberField(raw, 'neighbours'),
    threshold: numberField(raw, 'threshold'),
  }
  const neighbours = { indptr: decodeInt32(json.indptr), indices: decodeInt32(json.indices), weights: decodeFloat32(json.weights) }
  return sarModel(options, neighbours, decodeFloat32(json.counts), decodeFloat32(json.occurrences), numberField(json, 'now'))
}
