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

/** Two heads over the same features as one (columns of `a`, then of `b`): one weight row read per feature instead of two. */
export function fuseHeads(a: LinearHead, b: LinearHead): LinearHead {
  if (a.dim !== b.dim) throw new Error('heads of different dimensions')
  const C = a.classes + b.classes
  const weights = new Float32Array(a.dim * C)
  for (let f = 0; f < a.dim; f++) {
    weights.set(a.weights.subarray(f * a.classes, (f + 1) * a.classes), f * C)
    weights.set(b.weights.subarray(f * b.classes, (f + 1) * b.classes), f * C + a.classes)
  }
  const bias = new Float32Array(C)
  bias.set(a.bias)
  bias.set(b.bias, a.classes)
  return { classes: C, dim: a.dim, weights, bias }
}
