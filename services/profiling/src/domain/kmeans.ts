import { seededRandom } from '@attune/kit'

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number)
    s += d * d
  }
  return s
}

/** Picks an index with probability proportional to its weight (the last positive one on rounding). */
function pickWeighted(weights: Float64Array, random: () => number): number {
  let total = 0
  for (const w of weights) total += w
  let r = random() * total
  let last = 0
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number
    if (w <= 0) continue
    last = i
    r -= w
    if (r < 0) return i
  }
  return last
}

export interface KMeansResult {
  k: number
  /** Cluster of each point. */
  assignments: Int32Array
  centroids: Float64Array[]
  /** Sum of squared distances of the points to their centroid. */
  inertia: number
  iterations: number
}

/**
 * Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre is a
 * random point, each next one a point drawn with probability ∝ D(x)², its squared distance to the
 * nearest centre so far. Then assign each point to its nearest centre and move each centre to the
 * mean of its points until no assignment changes. An emptied cluster takes the point farthest
 * from its centre. Deterministic for a given `random`. Needs 1 ≤ k ≤ points.length.
 */
export function kmeans(points: Float64Array[], k: number, random: () => number, maxIterations = 100): KMeansResult {
  const n = points.length
  if (k < 1 || k > n) throw new RangeError(`k must be between 1 and ${n}`)
  const dims = points[0]?.length ?? 0
  const centroids: Float64Array[] = [Float64Array.from(points[Math.floor(random() * n)] as Float64Array)]
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY)
  while (centroids.length < k) {
    const latest = centroids[centroids.length - 1] as Float64Array
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i] as number, squaredDistance(points[i] as Float64Array, latest))
    const any = nearest.some((d) => d > 0)
    const next = any ? pickWeighted(nearest, random) : Math.floor(random() * n)
    centroids.push(Float64Array.from(points[next] as Float64Array))
  }

  const assignments = new Int32Array(n).fill(-1)
  let iterations = 0
  let inertia = 0
  for (; iterations < maxIterations; iterations++) {
    let changed = false
    inertia = 0
    for (let i = 0; i < n; i++) {
      let best = 0
      let bestD = Number.POSITIVE_INFINITY
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(points[i] as Float64Array, centroids[c] as Float64Array)
        if (d < bestD) {
          bestD = d
          best = c
        }
      }
      inertia += bestD
      if (assignments[i] !== best) {
        assignments[i] = best
        changed = true
      }
    }
    if (!changed) break
    const sums = Array.from({ length: k }, () => new Float64Array(dims))
    const sizes = new Int32Array(k)
    for (let i = 0; i < n; i++) {
      const c = assignments[i] as number
      sizes[c] = (sizes[c] as number) + 1
      const p = points[i] as Float64Array
      const s = sums[c] as Float64Array
      for (let d = 0; d < dims; d++) s[d] = (s[d] as number) + (p[d] as number)
    }
    for (let c = 0; c < k; c++) {
      const size = sizes[c] as number
      if (size > 0) {
        centroids[c] = (sums[c] as Float64Array).map((v) => v / size)
        continue
      }
      let far = 0
      let farD = -1
      for (let i = 0; i < n; i++) {
        const d = squaredDistance(points[i] as Float64Array, centroids[assignments[i] as number] as Float64Array)
        if (d > farD) {
          farD = d
          far = i
        }
      }
      centroids[c] = Float64Array.from(points[far] as Float64Array)
      assignments[far] = c
    }
  }
  return { k, assignments, centroids, inertia, iterations }
}

/**
 * Mean silhouette (Rousseeuw 1987): for each point, a = mean distance to its own cluster, b = the
 * lowest mean distance to another cluster, s = (b − a) / max(a, b) (0 for a point alone in its
 * cluster). Near 1: tight, well separated clusters. O(n²) distances.
 */
export function meanSilhouette(points: Float64Array[], assignments: Int32Array, k: number): number {
  const n = points.length
  if (n < 2 || k < 2) return 0
  const sizes = new Int32Array(k)
  for (const c of assignments) sizes[c] = (sizes[c] as number) + 1
  let total = 0
  const sums = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    sums.fill(0)
    for (let j = 0; j < n; j++) {
      if (i === j) continue
      const c = assignments[j] as number
      sums[c] = (sums[c] as number) + Math.sqrt(squaredDistance(points[i] as Float64Array, points[j] as Float64Array))
    }
    const own = assignments[i] as number
    const ownSize = (sizes[own] as number) - 1
    if (ownSize === 0) continue
    const a = (sums[own] as number) / ownSize
    let b = Number.POSITIVE_INFINITY
    for (let c = 0; c < k; c++) if (c !== own && (sizes[c] as number) > 0) b = Math.min(b, (sums[c] as number) / (sizes[c] as number))
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b, Number.MIN_VALUE)
  }
  return total / n
}

/**
 * Clusters with a given k, or picks k in `range` by the best mean silhouette (the smaller k on a
 * tie). Each k gets its own generator from `seed`, so results do not depend on the range tried.
 */
export function clusterPoints(points: Float64Array[], opts: { k?: number; range?: [number, number]; seed: number }): KMeansResult & { silhouette: number } {
  const run = (k: number) => {
    const r = kmeans(points, k, seededRandom(opts.seed * 31 + k))
    return { ...r, silhouette: meanSilhouette(points, r.assignments, k) }
  }
  if (opts.k !== undefined) return run(opts.k)
  const [lo, hi] = opts.range ?? [2, 8]
  let best: (KMeansResult & { silhouette: number }) | undefined
  for (let k = lo; k <= Math.min(hi, points.length - 1); k++) {
    const r = run(k)
    if (!best || r.silhouette > best.silhouette + 1e-12) best = r
  }
  return best ?? run(Math.min(lo, points.length))
}
