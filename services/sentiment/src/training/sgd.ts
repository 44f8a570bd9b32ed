import { seededRandom } from '@attune/kit'
import type { SparseVector } from '../analyzer/features.ts'
import { createHead, type LinearHead, scoresOf, softmax } from '../analyzer/linear.ts'

export interface SgdOptions {
  epochs: number
  /** Adagrad base learning rate. */
  learningRate: number
  /** L2 penalty, applied lazily to the weights an example touches. */
  l2: number
  seed: number
  /** Per-class weight of the loss (1 for all when omitted), e.g. to favour rare classes for macro-F1. */
  classWeights?: Float64Array
}

export const defaultSgdOptions: SgdOptions = { epochs: 6, learningRate: 0.2, l2: 1e-6, seed: 42 }

/**
 * Trains a softmax regression with Adagrad on soft targets (a multi-label example spreads its mass
 * over its labels): minimizes Σ w_y · cross-entropy(target, softmax(Wx + b)) + l2 · ‖W‖².
 */
export function trainSoftmax(xs: readonly SparseVector[], targets: readonly Float64Array[], classes: number, dim: number, o: SgdOptions): LinearHead {
  const head = createHead(classes, dim)
  const g2 = new Float32Array(head.weights.length)
  const g2b = new Float64Array(classes)
  const rand = seededRandom(o.seed)
  const order = Array.from(xs.keys())
  const p = new Float64Array(classes)
  const grad = new Float64Array(classes)
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    for (const n of order) {
      const x = xs[n] as SparseVector
      const y = targets[n] as Float64Array
      softmax(scoresOf(head, x, p))
      let weight = 1
      if (o.classWeights) {
        weight = 0
        for (let c = 0; c < classes; c++) weight += (y[c] as number) * (o.classWeights[c] as number)
      }
      for (let c = 0; c < classes; c++) grad[c] = weight * ((p[c] as number) - (y[c] as number))
      for (let c = 0; c < classes; c++) {
        const g = grad[c] as number
        g2b[c] = (g2b[c] as number) + g * g
        head.bias[c] = (head.bias[c] as number) - (o.learningRate * g) / (Math.sqrt(g2b[c] as number) + 1e-8)
      }
      for (let k = 0; k < x.index.length; k++) {
        const base = (x.index[k] as number) * classes
        const v = x.value[k] as number
        for (let c = 0; c < classes; c++) {
          const at = base + c
          const w = head.weights[at] as number
          const g = (grad[c] as number) * v + o.l2 * w
          const acc = (g2[at] as number) + g * g
          g2[at] = acc
          head.weights[at] = w - (o.learningRate * g) / (Math.sqrt(acc) + 1e-8)
        }
      }
    }
  }
  return head
}
