import { decodeFloat32, decodeInt32, encodeArray, numberField } from './codec.ts'
import { decay } from './history.ts'
import { invertSpd } from './linalg.ts'
import { TopK } from './top-k.ts'
import type { TrainingData } from './training-data.ts'
import type { History, ModelJson, Recommender, Scored, Scoring } from './types.ts'

export interface EaseOptions {
  /** L2 regularisation λ on the item-item weights. */
  regularization: number
  /** Only the M items with the most positive users are modelled (B is M × M floats, fit is O(M³)). */
  maxItems: number
  /** Half-life of a history item's weight in ms at query time; Infinity disables decay. */
  halfLifeMs: number
}

export const defaultEaseOptions: EaseOptions = { regularization: 250, maxItems: 2000, halfLifeMs: Number.POSITIVE_INFINITY }

export interface EaseModel extends Recommender {
  readonly kind: 'ease'
  /** Modelled items: position → item index. */
  readonly modelled: Int32Array
  /** M × M item-item weights, zero diagonal, row-major over positions. */
  readonly weights: Float32Array
}

/**
 * EASE^R (Steck 2019, "Embarrassingly Shallow Autoencoders"): B = I − P·diagMat(1/diag(P)) with
 * P = (XᵀX + λI)⁻¹ and diag(B) = 0, in closed form over the binary positive matrix X restricted to
 * the top-M items. score(j) = Σ_h a_h B[h, j] with a_h = sign(w_h)·decay, so a disliked item
 * subtracts its row. Items outside the top M score 0 (leave them to the other recommenders).
 */
export function fitEase(data: TrainingData, options: Partial<EaseOptions> = {}): EaseModel {
  const o = { ...defaultEaseOptions, ...options }
  const nItems = data.itemIds.length
  const positives = new Float64Array(nItems)
  const { byUser } = data
  for (let p = 0; p < byUser.indices.length; p++) {
    if ((byUser.values[p] as number) > 0) positives[byUser.indices[p] as number] = (positives[byUser.indices[p] as number] as number) + 1
  }
  const byCount = Int32Array.from({ length: nItems }, (_, i) => i)
    .filter((i) => (positives[i] as number) > 0)
    .sort((a, b) => (positives[b] as number) - (positives[a] as number) || a - b)
  const modelled = byCount.slice(0, o.maxItems).sort()
  const m = modelled.length
  const position = new Int32Array(nItems).fill(-1)
  for (let k = 0; k < m; k++) position[modelled[k] as number] = k
  const g = new Float64Array(m * m)
  const rowPositions: number[] = []
  for (let u = 0; u < byUser.rows; u++) {
    rowPositions.length = 0
    for (let p = byUser.indptr[u] as number, end = byUser.indptr[u + 1] as number; p < end; p++) {
      const k = position[byUser.indices[p] as number] as number
      if (k >= 0 && (byUser.values[p] as number) > 0) rowPositions.push(k)
    }
    for (const a of rowPositions) {
      const ga = a * m
      for (const b of rowPositions) g[ga + b] = (g[ga + b] as number) + 1
    }
  }
  for (let k = 0; k < m; k++) g[k * m + k] = (g[k * m + k] as number) + o.regularization
  invertSpd(g, m)
  const weights = new Float32Array(m * m)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) if (i !== j) weights[i * m + j] = -(g[i * m + j] as number) / (g[j * m + j] as number)
  }
  return easeModel(o, nItems, modelled, weights)
}

function easeModel(options: EaseOptions, itemCount: number, modelled: Int32Array, weights: Float32Array): EaseModel {
  const m = modelled.length
  const position = new Int32Array(itemCount).fill(-1)
  for (let k = 0; k < m; k++) position[modelled[k] as number] = k
  return {
    kind: 'ease',
    itemCount,
    modelled,
    weights,
    prepare(history: History, now?: number): Scoring {
      const t = now ?? Math.max(0, ...history.times)
      const scores = new Float32Array(m)
      const rows: number[] = []
      const affinity: number[] = []
      for (let h = 0; h < history.items.length; h++) {
        const k = position[history.items[h] as number] ?? -1
        if (k < 0) continue
        const a = Math.sign(history.weights[h] as number) * decay(t - (history.times[h] as number), options.halfLifeMs)
        if (a === 0) continue
        rows.push(k)
        affinity.push(a)
        const o = k * m
        for (let j = 0; j < m; j++) scores[j] = (scores[j] as number) + a * (weights[o + j] as number)
      }
      const score = (item: number): number => {
        const k = position[item] ?? -1
        return k < 0 ? 0 : (scores[k] as number)
      }
      return {
        top(n, allow): Scored[] {
          const heap = new TopK(n)
          for (let k = 0; k < m; k++) {
            const s = scores[k] as number
            if (s > heap.threshold && allow(modelled[k] as number)) heap.push(modelled[k] as number, s)
          }
          return heap.sorted()
        },
        score,
        because(item) {
          const k = position[item] ?? -1
          if (k < 0) return []
          let best = -1
          let bestValue = 0
          for (let r = 0; r < rows.length; r++) {
            const v = (affinity[r] as number) * (weights[(rows[r] as number) * m + k] as number)
            if (v > bestValue) {
              bestValue = v
              best = modelled[rows[r] as number] as number
            }
          }
          return best < 0 ? [] : [best]
        },
      }
    },
    similar(item, k) {
      const p = position[item] ?? -1
      if (p < 0) return []
      const heap = new TopK(k)
      // B[i, j] says how much having i predicts j.
      for (let j = 0; j < m; j++) if (j !== p) heap.push(modelled[j] as number, weights[p * m + j] as number)
      return heap.sorted()
    },
    toJSON: (): ModelJson => ({
      kind: 'ease',
      version: 1,
      itemCount,
      regularization: options.regularization,
      halfLifeMs: Number.isFinite(options.halfLifeMs) ? options.halfLifeMs : null,
      modelled: encodeArray(modelled),
      weights: encodeArray(weights),
    }),
  }
}

export function loadEase(json: ModelJson): EaseModel {
  if (json.version !== 1) throw new RangeError(`unsupported ease model version ${json.version}`)
  const modelled = decodeInt32(json.modelled)
  const options: EaseOptions = {
    regularization: numberField(json, 'regularization'),
    maxItems: modelled.length,
    halfLifeMs: typeof json.halfLifeMs === 'number' ? json.halfLifeMs : Number.POSITIVE_INFINITY,
  }
  return easeModel(options, numberField(json, 'itemCount'), modelled, decodeFloat32(json.weights))
}
