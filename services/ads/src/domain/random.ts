import { seededRandom } from '@attune/kit'

/** A uniform generator on [0, 1); the domain never calls Math.random, callers pass one in. */
export type Rng = () => number

/** A seeded generator (the kit's mulberry32): the same seed gives the same draws on every machine. */
export const seededRng = (seed: number): Rng => seededRandom(seed)

/** Standard normal by Box–Muller. */
export function normal(rng: Rng): number {
  let u = 0
  while (u === 0) u = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/**
 * Draws for a hot loop: standard normals by the Marsaglia polar method (each accepted pair gives
 * two, the second kept for the next call; no trigonometry, half the logarithms of Box–Muller), and
 * Gamma draws exactly as `gamma` makes them from those normals, without a closure or a recursion
 * per draw and with each shape's constants set up once (`gammaSetup`) instead of on every draw.
 */
export class Draws {
  private readonly rng: Rng
  private spare = 0
  private hasSpare = false

  constructor(rng: Rng) {
    this.rng = rng
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare
    }
    let u = 0
    let v = 0
    let s = 0
    do {
      u = 2 * this.rng() - 1
      v = 2 * this.rng() - 1
      s = u * u + v * v
    } while (s >= 1 || s === 0)
    const f = Math.sqrt((-2 * Math.log(s)) / s)
    this.spare = v * f
    this.hasSpare = true
    return u * f
  }

  /** Gamma(shape): `d`, `c` of shape (or of shape + 1 when boosted), `inv` = 1/shape when boosted, else 0. */
  gamma(d: number, c: number, inv: number): number {
    let boost = 1
    if (inv !== 0) {
      let u = 0
      while (u === 0) u = this.rng()
      boost = u ** inv
    }
    for (;;) {
      let x = 0
      let v = 0
      do {
        x = this.normal()
        v = 1 + c * x
      } while (v <= 0)
      v = v * v * v
      const u = this.rng()
      if (u < 1 - 0.0331 * x ** 4) return d * v * boost
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * boost
    }
  }
}

/** Sets up Gamma(shape) for `Draws.gamma` into slot i of d, c, inv. */
export function gammaSetup(shape: number, i: number, d: Float64Array, c: Float64Array, inv: Float64Array): void {
  const boosted = shape < 1
  const k = (boosted ? shape + 1 : shape) - 1 / 3
  d[i] = k
  c[i] = 1 / Math.sqrt(9 * k)
  inv[i] = boosted ? 1 / shape : 0
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 use the boost Gamma(a) = Gamma(a+1)·U^(1/a). */
export function gamma(rng: Rng, shape: number, gauss: () => number = () => normal(rng)): number {
  if (shape < 1) {
    let u = 0
    while (u === 0) u = rng()
    return gamma(rng, shape + 1, gauss) * u ** (1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x = 0
    let v = 0
    do {
      x = gauss()
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = rng()
    if (u < 1 - 0.0331 * x ** 4) return d * v
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

/** Both shape parameters at least this large: Beta is close enough to a normal to sample it as one. */
export const NORMAL_APPROX_MIN = 30

/**
 * Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b); when a and b are both ≥ NORMAL_APPROX_MIN,
 * as a normal of the same mean and variance (clamped to [0, 1]): one normal draw instead of two
 * gammas, on the hot path of every decision.
 */
export function beta(rng: Rng, a: number, b: number): number {
  if (a >= NORMAL_APPROX_MIN && b >= NORMAL_APPROX_MIN) {
    const n = a + b
    const m = a / n
    const x = m + Math.sqrt((m * (1 - m)) / (n + 1)) * normal(rng)
    return Math.min(1, Math.max(0, x))
  }
  const x = gamma(rng, a)
  const y = gamma(rng, b)
  return x / (x + y)
}
