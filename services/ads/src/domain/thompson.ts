import { beta, Draws, gammaSetup, NORMAL_APPROX_MIN, type Rng } from './random.ts'

/** The cold-start prior: Beta(mean·strength, (1−mean)·strength), i.e. `strength` pseudo-impressions at `mean` CTR. */
export interface Prior {
  mean: number
  strength: number
}

export interface Counts {
  impressions: number
  clicks: number
}

export interface BetaParams {
  a: number
  b: number
}

/** Pseudo-impressions the ad-level posterior counts for when it becomes the prior of a context feature. */
export const FEATURE_PRIOR_STRENGTH = 20

/** Posterior of an ad's CTR: prior plus its clicks and non-clicks (clicks clamped to impressions). */
export function adPosterior(prior: Prior, c: Counts): BetaParams {
  const clicks = Math.min(c.clicks, c.impressions)
  return { a: prior.mean * prior.strength + clicks, b: (1 - prior.mean) * prior.strength + (c.impressions - clicks) }
}

/**
 * Posterior of an ad's CTR on pages of one feature (a page category): the ad-level posterior mean,
 * weighted as FEATURE_PRIOR_STRENGTH impressions, is the prior (hierarchical shrinkage), so a
 * feature with little data reads as the ad overall.
 */
export function featurePosterior(ad: BetaParams, c: Counts | undefined): BetaParams {
  if (!c) return ad
  const m = ad.a / (ad.a + ad.b)
  const clicks = Math.min(c.clicks, c.impressions)
  return { a: m * FEATURE_PRIOR_STRENGTH + clicks, b: (1 - m) * FEATURE_PRIOR_STRENGTH + (c.impressions - clicks) }
}

export function mean(p: BetaParams): number {
  return p.a / (p.a + p.b)
}

/** Mean plus two standard deviations: an optimistic CTR, used to order candidates before sampling. */
export function optimistic(p: BetaParams): number {
  const n = p.a + p.b
  const m = p.a / n
  return Math.min(1, m + 2 * Math.sqrt((m * (1 - m)) / (n + 1)))
}

export function sample(rng: Rng, p: BetaParams): number {
  return beta(rng, p.a, p.b)
}

/**
 * One Thompson call's candidates in reused typed arrays (decisions run one at a time): Beta
 * parameters `a`, `b` and weight `w` per candidate; `live` receives the indexes keepContenders
 * keeps. Filled by the caller, so a decision builds no object per candidate.
 */
export interface Candidates {
  a: Float64Array
  b: Float64Array
  w: Float64Array
  live: Int32Array
}

/** Per-candidate sampler set-up of one call. */
interface Scratch extends Candidates {
  hi: Float64Array
  /** Normal approximation: mean and sd (sd < 0: the exact Gamma ratio instead). */
  mu: Float64Array
  sd: Float64Array
  /** Marsaglia–Tsang constants of Gamma(a) and Gamma(b); `inv` is 1/shape when it is boosted (shape < 1), else 0. */
  da: Float64Array
  ca: Float64Array
  inva: Float64Array
  db: Float64Array
  cb: Float64Array
  invb: Float64Array
}

let shared: Scratch | undefined

function scratch(n: number): Scratch {
  if (!shared || shared.mu.length < n) {
    const size = Math.max(32, n)
    const f = () => new Float64Array(size)
    shared = {
      a: f(),
      b: f(),
      w: f(),
      live: new Int32Array(size),
      hi: f(),
      mu: f(),
      sd: f(),
      da: f(),
      ca: f(),
      inva: f(),
      db: f(),
      cb: f(),
      invb: f(),
    }
  }
  return shared
}

/** Room for `n` candidates (the arrays are shared: the previous call's are overwritten). */
export function candidates(n: number): Candidates {
  return scratch(n)
}

/**
 * Keeps the first `n` candidates that can still win in `live`, returns how many; with `compact`,
 * also moves their a, b and w to the front, in order, for `thompsonAmong`. A candidate whose value
 * at mean + 3 sd is below another's at mean − 3 sd wins less than about once in a thousand draws,
 * so it is left out of the sampling (and its propensity read as 0). Keeps the hot path short when
 * many ads have data.
 */
export function keepContenders(c: Candidates, n: number, compact: boolean): number {
  const { a, b, w, live } = c
  const hi = scratch(n).hi
  let maxLo = -1
  for (let i = 0; i < n; i++) {
    const total = (a[i] as number) + (b[i] as number)
    const m = (a[i] as number) / total
    const sd = Math.sqrt((m * (1 - m)) / (total + 1))
    const wi = w[i] as number
    hi[i] = wi * (m + 3 * sd)
    if (wi * (m - 3 * sd) > maxLo) maxLo = wi * (m - 3 * sd)
  }
  let k = 0
  for (let i = 0; i < n; i++) {
    if ((hi[i] as number) >= maxLo) {
      live[k] = i
      if (compact) {
        a[k] = a[i] as number
        b[k] = b[i] as number
        w[k] = w[i] as number
      }
      k++
    }
  }
  return k
}

/**
 * Thompson sampling over candidates: one CTR draw each, the highest `weight·θ` wins. Returns the
 * winner's index and its propensity, estimated as the share of `draws` further rounds it wins
 * (plus the round that chose it, so it is never 0), for inverse-propensity evaluation off-policy.
 */
export function thompsonChoose(
  rng: Rng,
  posteriors: readonly BetaParams[],
  weights: readonly number[],
  draws: number,
): { index: number; propensity: number; ctr: number } {
  const c = candidates(posteriors.length)
  for (let i = 0; i < posteriors.length; i++) {
    const p = posteriors[i] as BetaParams
    c.a[i] = p.a
    c.b[i] = p.b
    c.w[i] = weights[i] as number
  }
  return thompsonAmong(rng, posteriors.length, draws)
}

/**
 * `thompsonChoose` over the first `n` candidates filled in `candidates()`. Each candidate's sampler is set up once
 * for all rounds: the normal approximation's mean and sd (both Beta parameters ≥
 * NORMAL_APPROX_MIN, as in `beta`), else the exact Gamma ratio.
 */
export function thompsonAmong(rng: Rng, n: number, draws: number): { index: number; propensity: number; ctr: number } {
  const g = new Draws(rng)
  const { mu, sd, da, ca, inva, db, cb, invb, a, b } = scratch(n)
  for (let i = 0; i < n; i++) {
    const pa = a[i] as number
    const pb = b[i] as number
    if (pa >= NORMAL_APPROX_MIN && pb >= NORMAL_APPROX_MIN) {
      const total = pa + pb
      const m = pa / total
      mu[i] = m
      sd[i] = Math.sqrt((m * (1 - m)) / (total + 1))
    } else {
      sd[i] = -1
      gammaSetup(pa, i, da, ca, inva)
      gammaSetup(pb, i, db, cb, invb)
    }
  }
  const first = pickRound(g, n)
  const ctr = roundCtr[0] as number
  if (n === 1) return { index: 0, propensity: 1, ctr }
  let wins = 1
  for (let r = 0; r < draws; r++) if (pickRound(g, n) === first) wins++
  return { index: first, propensity: wins / (draws + 1), ctr }
}

/** The winner's sampled CTR of the last `pickRound` (a typed array: a number kept in a closure or a module variable is boxed on every write). */
const roundCtr = new Float64Array(1)

/** One Thompson round over the first `n` candidates set up in `scratch`: the index of the highest `w·θ`. */
function pickRound(g: Draws, n: number): number {
  const { mu, sd, da, ca, inva, db, cb, invb, w } = shared as Scratch
  let best = -1
  let bestValue = -1
  for (let i = 0; i < n; i++) {
    const s = sd[i] as number
    let theta: number
    if (s >= 0) {
      const x = (mu[i] as number) + s * g.normal()
      theta = Math.min(1, Math.max(0, x))
    } else {
      const x = g.gamma(da[i] as number, ca[i] as number, inva[i] as number)
      theta = x / (x + g.gamma(db[i] as number, cb[i] as number, invb[i] as number))
    }
    const v = (w[i] as number) * theta
    if (v > bestValue) {
      bestValue = v
      best = i
      roundCtr[0] = theta
    }
  }
  return best
}
