import { seededRandom } from '@attune/kit'
import { decodeFloat32, encodeArray, numberField } from './codec.ts'
import type { Csr } from './csr.ts'
import { factorBecause, factorScoring, rowNorms, similarByFactors } from './factor-scoring.ts'
import { choleskySolve, gram } from './linalg.ts'
import type { TrainingData } from './training-data.ts'
import type { History, ModelJson, Recommender, Scoring } from './types.ts'

export interface AlsOptions {
  factors: number
  iterations: number
  /** L2 regularisation λ. */
  regularization: number
  /** Confidence c = 1 + alpha · |w| (Hu, Koren & Volinsky 2008). */
  alpha: number
  /** Conjugate-gradient steps per vector and sweep (Takács, Pilászy & Tikk 2011). */
  cgSteps: number
  seed: number
  /**
   * recommend() scans only this many items, those with the largest factor norms (a cheap
   * candidate set: popular, well-learned items); similar() and score() see all. Bounds latency
   * at ≈ scanLimit · factors multiply-adds on large catalogs.
   */
  scanLimit: number
}

export const defaultAlsOptions: AlsOptions = { factors: 64, iterations: 15, regularization: 40, alpha: 1, cgSteps: 3, seed: 42, scanLimit: 10_000 }

export interface AlsModel extends Recommender {
  readonly kind: 'als'
  readonly options: AlsOptions
  /** items × factors, row-major. */
  readonly itemFactors: Float32Array
  /** The user vector solved exactly for a history (the fold-in behind `prepare`). */
  foldIn(history: History): Float32Array
}

export interface AlsFitStats {
  seconds: number
}

/**
 * Implicit-feedback ALS: minimise Σ c_ui (p_ui − x_uᵀy_i)² + λ(‖x‖² + ‖y‖²) over observed and
 * unobserved pairs, with p = 1 for positive and 0 for negative feedback, c = 1 + α|w| (so a hide
 * is a confident zero). Each sweep solves users then items with a few warm-started CG steps,
 * using (YᵀY + λI) + Σ_observed (c − 1) y yᵀ without materialising it. Deterministic per seed.
 */
export function fitAls(data: TrainingData, options: Partial<AlsOptions> = {}): AlsModel {
  const o = { ...defaultAlsOptions, ...options }
  const f = o.factors
  const random = seededRandom(o.seed)
  const init = (n: number) => Float32Array.from({ length: n * f }, () => (random() - 0.5) * (0.2 / Math.sqrt(f)))
  const users = init(data.userIds.length)
  const items = init(data.itemIds.length)
  for (let it = 0; it < o.iterations; it++) {
    sweep(data.byUser, users, items, o)
    sweep(data.byItem, items, users, o)
  }
  return alsModel(o, items)
}

/** One CG pass over every row of m: x_r ← argmin for fixed y. */
function sweep(m: Csr, x: Float32Array, y: Float32Array, o: AlsOptions): void {
  const f = o.factors
  const yty = gram(y, y.length / f, f, o.regularization)
  const r = new Float64Array(f)
  const p = new Float64Array(f)
  const ap = new Float64Array(f)
  const xr = new Float64Array(f)
  for (let row = 0; row < m.rows; row++) {
    const start = m.indptr[row] as number
    const end = m.indptr[row + 1] as number
    const xo = row * f
    for (let a = 0; a < f; a++) xr[a] = x[xo + a] as number
    // r = b − A x, with b = Σ c p y and A x = YᵀY x + λx + Σ (c − 1)(yᵀx) y.
    multiply(yty, xr, r, f)
    for (let a = 0; a < f; a++) r[a] = -(r[a] as number)
    for (let q = start; q < end; q++) {
      const w = m.values[q] as number
      const c = 1 + o.alpha * Math.abs(w)
      const yo = (m.indices[q] as number) * f
      let yx = 0
      for (let a = 0; a < f; a++) yx += (y[yo + a] as number) * (xr[a] as number)
      const coef = (w > 0 ? c : 0) - (c - 1) * yx
      for (let a = 0; a < f; a++) r[a] = (r[a] as number) + coef * (y[yo + a] as number)
    }
    p.set(r)
    let rs = dot64(r, r, f)
    for (let step = 0; step < o.cgSteps && rs > 1e-20; step++) {
      multiply(yty, p, ap, f)
      for (let q = start; q < end; q++) {
        const c = 1 + o.alpha * Math.abs(m.values[q] as number)
        const yo = (m.indices[q] as number) * f
        let yp = 0
        for (let a = 0; a < f; a++) yp += (y[yo + a] as number) * (p[a] as number)
        yp *= c - 1
        for (let a = 0; a < f; a++) ap[a] = (ap[a] as number) + yp * (y[yo + a] as number)
      }
      const alpha = rs / dot64(p, ap, f)
      for (let a = 0; a < f; a++) {
        xr[a] = (xr[a] as number) + alpha * (p[a] as number)
        r[a] = (r[a] as number) - alpha * (ap[a] as number)
      }
      const next = dot64(r, r, f)
      for (let a = 0; a < f; a++) p[a] = (r[a] as number) + (next / rs) * (p[a] as number)
      rs = next
    }
    for (let a = 0; a < f; a++) x[xo + a] = xr[a] as number
  }
}

function multiply(m: Float64Array, v: Float64Array, out: Float64Array, f: number): void {
  for (let a = 0; a < f; a++) {
    let s = 0
    const o = a * f
    for (let b = 0; b < f; b++) s += (m[o + b] as number) * (v[b] as number)
    out[a] = s
  }
}

function dot64(a: Float64Array, b: Float64Array, f: number): number {
  let s = 0
  for (let i = 0; i < f; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

/** Solves the user's normal equations exactly for a history (Cholesky of a factors × factors system). */
export function foldInUser(history: History, items: Float32Array, yty: Float64Array, f: number, alpha: number): Float32Array {
  const a = yty.slice()
  const b = new Float64Array(f)
  const count = items.length / f
  for (let h = 0; h < history.items.length; h++) {
    const item = history.items[h] as number
    if (item < 0 || item >= count) continue
    const w = history.weights[h] as number
    const c = 1 + alpha * Math.abs(w)
    const yo = item * f
    for (let i = 0; i < f; i++) {
      const yi = items[yo + i] as number
      if (w > 0) b[i] = (b[i] as number) + c * yi
      const s = (c - 1) * yi
      const ao = i * f
      for (let j = 0; j <= i; j++) a[ao + j] = (a[ao + j] as number) + s * (items[yo + j] as number)
    }
  }
  // choleskySolve reads only the lower triangle.
  return Float32Array.from(choleskySolve(a, b, f))
}

function alsModel(options: AlsOptions, itemFactors: Float32Array): AlsModel {
  const f = options.factors
  const yty = gram(itemFactors, itemFactors.length / f, f, options.regularization)
  const norms = rowNorms(itemFactors, f)
  const foldIn = (history: History) => foldInUser(history, itemFactors, yty, f, options.alpha)
  const count = itemFactors.length / f
  const scan =
    count > options.scanLimit
      ? Int32Array.from({ length: count }, (_, i) => i)
          .sort((a, b) => (norms[b] as number) - (norms[a] as number) || a - b)
          .slice(0, options.scanLimit)
      : undefined
  return {
    kind: 'als',
    itemCount: itemFactors.length / f,
    options,
    itemFactors,
    foldIn,
    prepare(history: History): Scoring {
      const because = factorBecause(history.items, history.weights, itemFactors, f, norms)
      return factorScoring(foldIn(history), itemFactors, f, undefined, because, scan && (() => scan))
    },
    similar: (item, k) => similarByFactors(itemFactors, f, norms, item, k),
    toJSON: (): ModelJson => ({ kind: 'als', version: 1, options, itemFactors: encodeArray(itemFactors) }),
  }
}

export function loadAls(json: ModelJson): AlsModel {
  if (json.version !== 1) throw new RangeError(`unsupported als model version ${json.version}`)
  const raw = (json.options ?? {}) as Record<string, unknown>
  const options: AlsOptions = {
    factors: numberField(raw, 'factors'),
    iterations: numberField(raw, 'iterations'),
    regularization: numberField(raw, 'regularization'),
    alpha: numberField(raw, 'alpha'),
    cgSteps: numberField(raw, 'cgSteps'),
    seed: numberField(raw, 'seed'),
    scanLimit: typeof raw.scanLimit === 'number' ? raw.scanLimit : defaultAlsOptions.scanLimit,
  }
  return alsModel(options, decodeFloat32(json.itemFactors))
}
