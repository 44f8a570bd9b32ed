import type { SparseVector } from './features.ts'

/** A multinomial logistic regression over sparse features; weights feature-major (`w[f * classes + c]`). */
export interface LinearHead {
  classes: number
  dim: number
  weights: Float32Array
  bias: Float32Array
}

export function createHead(classes: number, dim: number): LinearHead {
  return { classes, dim, weights: new Float32Array(classes * dim), bias: new Float32Array(classes) }
}

/** scores[c] = bias[c] + Σ_k value[k] · w[index[k], c]. */
export function scoresOf(head: LinearHead, x: SparseVector, out = new Float64Array(head.classes)): Float64Array {
  const C = head.classes
  for (let c = 0; c < C; c++) out[c] = head.bias[c] as number
  for (let k = 0; k < x.index.length; k++) {
    const base = (x.index[k] as number) * C
    const v = x.value[k] as number
    for (let c = 0; c < C; c++) out[c] = (out[c] as number) + v * (head.weights[base + c] as number)
  }
  return out
}

/** Softmax in place (max-subtracted, so large scores cannot overflow). */
export function softmax(s: Float64Array): Float64Array {
  let max = -Infinity
  for (const v of s) if (v > max) max = v
  let sum = 0
  for (let c = 0; c < s.length; c++) {
    const e = Math.exp((s[c] as number) - max)
    s[c] = e
    sum += e
  }
  for (let c = 0; c < s.length; c++) s[c] = (s[c] as number) / sum
  return s
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c
  return best
}

/**
 * Heads fused and kept as int8 (`w = q[f·C + c] · scale[c]`, each head with its own scale): one
 * byte per weight, so the rows a text touches stay in cache (2^17 × 10 weights: 1.3 MB, not 5.2).
 */
export interface QuantizedHead {
  classes: number
  dim: number
  q: Int8Array
  scale: Float64Array
  bias: Float64Array
}

/** Fuses heads (columns of each in turn) into one int8 head; each head's scale is max |w| / 127, as in the weights file. */
export function quantizeHeads(heads: readonly LinearHead[]): QuantizedHead {
  const dim = heads[0]?.dim ?? 0
  const C = heads.reduce((n, h) => n + h.classes, 0)
  const q = new Int8Array(dim * C)
  const scale = new Float64Array(C)
  const bias = new Float64Array(C)
  let col = 0
  for (const h of heads) {
    if (h.dim !== dim) throw new Error('heads of different dimensions')
    let max = 0
    for (const w of h.weights) max = Math.max(max, Math.abs(w))
    const s = max > 0 ? max / 127 : 1
    for (let f = 0; f < dim; f++) for (let c = 0; c < h.classes; c++) q[f * C + col + c] = Math.round((h.weights[f * h.classes + c] as number) / s)
    for (let c = 0; c < h.classes; c++) {
      scale[col + c] = s
      bias[col + c] = h.bias[c] as number
    }
    col += h.classes
  }
  return { classes: C, dim, q, scale, bias }
}

/** scores[c] = bias[c] + scale[c] · Σ_k value[k] · q[index[k], c]. */
export function quantizedScores(head: QuantizedHead, x: SparseVector, out = new Float64Array(head.classes)): Float64Array {
  const C = head.classes
  const q = head.q
  out.fill(0)
  for (let k = 0; k < x.index.length; k++) {
    const base = (x.index[k] as number) * C
    const v = x.value[k] as number
    for (let c = 0; c < C; c++) out[c] = (out[c] as number) + v * (q[base + c] as number)
  }
  for (let c = 0; c < C; c++) out[c] = (head.bias[c] as number) + (head.scale[c] as number) * (out[c] as number)
  return out
}
