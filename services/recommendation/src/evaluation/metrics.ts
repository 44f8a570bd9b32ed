/**
 * Ranking metrics with MS Recommenders' python_evaluation.py definitions (binary relevance, the
 * ranked list already cut to k, averaged over the users that have both test items and a list).
 * Each per-user function takes (relevant set, ranked list) and returns a number.
 */

/** precision@k = hits in the top k / k (Spark's definition: short lists are not rewarded). */
export function precisionAtK(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  return hits(relevant, ranked, k) / k
}

/** recall@k = hits in the top k / |relevant|. */
export function recallAtK(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  return relevant.size === 0 ? 0 : hits(relevant, ranked, k) / relevant.size
}

/**
 * nDCG@k = DCG / IDCG with DCG = Σ_{hit at rank r} 1 / log(1 + r) and IDCG the same over the first
 * min(k, |relevant|) ranks (the log base cancels; MS uses ln).
 */
export function ndcgAtK(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  let dcg = 0
  const n = Math.min(k, ranked.length)
  for (let r = 1; r <= n; r++) if (relevant.has(ranked[r - 1] as string)) dcg += 1 / Math.log(1 + r)
  let idcg = 0
  for (let r = 1; r <= Math.min(k, relevant.size); r++) idcg += 1 / Math.log(1 + r)
  return idcg === 0 ? 0 : dcg / idcg
}

/** Σ over hits at rank r of (hits so far / r): the numerator of both MAP variants. */
function precisionSum(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  let found = 0
  let sum = 0
  const n = Math.min(k, ranked.length)
  for (let r = 1; r <= n; r++) {
    if (!relevant.has(ranked[r - 1] as string)) continue
    found++
    sum += found / r
  }
  return sum
}

/** MAP@k as `map_at_k` in recommenders ≥ 1.2: Σ precision at each hit / min(k, |relevant|). */
export function mapAtK(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  const d = Math.min(k, relevant.size)
  return d === 0 ? 0 : precisionSum(relevant, ranked, k) / d
}

/**
 * MAP as `map` (and as `map_at_k` before recommenders 1.2, the one behind the published
 * MovieLens benchmark table): Σ precision at each hit within k / |relevant|.
 */
export function mapLegacy(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  return relevant.size === 0 ? 0 : precisionSum(relevant, ranked, k) / relevant.size
}

function hits(relevant: ReadonlySet<string>, ranked: readonly string[], k: number): number {
  let h = 0
  const n = Math.min(k, ranked.length)
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r] as string)) h++
  return h
}

/** Catalog coverage: distinct recommended items / catalog size. */
export function catalogCoverage(lists: Iterable<readonly string[]>, catalogSize: number): number {
  const seen = new Set<string>()
  for (const l of lists) for (const i of l) seen.add(i)
  return catalogSize === 0 ? 0 : seen.size / catalogSize
}

/**
 * Gini of exposure over the catalog: G = Σ_i (2i − n − 1)·x_i / (n · Σ x) with x sorted ascending,
 * x_i = times item i was recommended (items never shown count as 0). 0: equal exposure; → 1: a few items get it all.
 */
export function exposureGini(lists: Iterable<readonly string[]>, catalog: readonly string[]): number {
  const counts = new Map<string, number>()
  for (const id of catalog) counts.set(id, 0)
  for (const l of lists) for (const i of l) counts.set(i, (counts.get(i) ?? 0) + 1)
  const x = [...counts.values()].sort((a, b) => a - b)
  const n = x.length
  let total = 0
  let weighted = 0
  for (let i = 0; i < n; i++) {
    total += x[i] as number
    weighted += (2 * (i + 1) - n - 1) * (x[i] as number)
  }
  return total === 0 ? 0 : weighted / (n * total)
}
