import { seededRandom } from '@attune/kit'
import type { ItemContent } from '../recommenders/types.ts'
import type { Rating } from './ratings.ts'

export interface SyntheticOptions {
  users: number
  items: number
  interactions: number
  seed: number
  /** Number of taste clusters (genres, sections). */
  clusters: number
  /** Zipf exponent of item popularity. */
  popularityExponent: number
  /** Share of a user's interactions drawn from their tastes (the rest follow global popularity). */
  tasteShare: number
  /** Minimum interactions per user (MovieLens keeps users with ≥ 20). */
  minPerUser: number
}

export const movielensLike: Omit<SyntheticOptions, 'users' | 'items' | 'interactions' | 'seed'> = {
  clusters: 18,
  popularityExponent: 0.9,
  tasteShare: 0.7,
  minPerUser: 20,
}

export interface SyntheticData {
  ratings: Rating[]
  items: ItemContent[]
}

const DAY = 86_400
const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'da', 'fo', 'gu', 'ha', 'ji', 'pe', 'qu', 'ze', 'wo', 'xi', 'yu']

/**
 * A seeded MovieLens-like data set: items belong to taste clusters with Zipf popularity; users mix
 * 1–3 clusters with Dirichlet-like weights and a power-law activity (≥ minPerUser); each
 * interaction picks a cluster by taste (else global popularity), then an unseen item by
 * popularity; ratings are higher inside a user's main cluster; times follow item release dates.
 * Item titles and texts use per-cluster vocabularies, so content similarity finds the clusters.
 */
export function generateSynthetic(size: Pick<SyntheticOptions, 'users' | 'items' | 'interactions' | 'seed'> & Partial<SyntheticOptions>): SyntheticData {
  const o: SyntheticOptions = { ...movielensLike, ...size }
  const random = seededRandom(o.seed)
  const nc = Math.max(1, Math.min(o.clusters, o.items))
  const start = 880_000_000
  const span = 210 * DAY

  const itemCluster = new Int32Array(o.items)
  const popularity = new Float64Array(o.items)
  const release = new Float64Array(o.items)
  const rank = Int32Array.from({ length: o.items }, (_, i) => i)
  for (let i = o.items - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = rank[i] as number
    rank[i] = rank[j] as number
    rank[j] = t
  }
  for (let i = 0; i < o.items; i++) {
    itemCluster[i] = Math.floor(random() ** 1.3 * nc)
    popularity[i] = 1 / ((rank[i] as number) + 10) ** o.popularityExponent
    release[i] = start - span + random() * span * 1.6
  }
  const members: number[][] = Array.from({ length: nc }, () => [])
  for (let i = 0; i < o.items; i++) (members[itemCluster[i] as number] as number[]).push(i)
  const cumulative = (list: readonly number[]) => {
    const c = new Float64Array(list.length)
    let s = 0
    for (let k = 0; k < list.length; k++) {
      s += popularity[list[k] as number] as number
      c[k] = s
    }
    return c
  }
  const clusterCum = members.map(cumulative)
  const all = Array.from({ length: o.items }, (_, i) => i)
  const globalCum = cumulative(all)
  const pick = (list: readonly number[], cum: Float64Array): number => {
    const total = cum[cum.length - 1] ?? 0
    const r = random() * total
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cum[mid] as number) < r) lo = mid + 1
      else hi = mid
    }
    return list[lo] as number
  }

  // Activity: Pareto-like shares, scaled to the requested total, at least minPerUser each.
  const raw = Float64Array.from({ length: o.users }, () => 1 / (1 - random() * 0.98) ** 0.8)
  const rawTotal = raw.reduce((a, b) => a + b, 0)
  const extra = Math.max(0, o.interactions - o.minPerUser * o.users)
  const counts = Int32Array.from(raw, (r) => Math.min(o.items, Math.max(1, Math.min(o.minPerUser, o.items)) + Math.round((r / rawTotal) * extra)))

  const ratings: Rating[] = []
  const tastes = new Float64Array(nc)
  for (let u = 0; u < o.users; u++) {
    tastes.fill(0)
    const k = 1 + Math.floor(random() * 3)
    for (let t = 0; t < k; t++) tastes[Math.floor(random() * nc)] = (tastes[Math.floor(random() * nc)] as number) + -Math.log(1 - random())
    let tasteTotal = tastes.reduce((a, b) => a + b, 0)
    if (tasteTotal === 0) {
      tastes[0] = 1
      tasteTotal = 1
    }
    let main = 0
    for (let c = 1; c < nc; c++) if ((tastes[c] as number) > (tastes[main] as number)) main = c
    const userStart = start + random() * span * 0.8
    const seen = new Set<number>()
    const n = counts[u] as number
    for (let tries = 0; seen.size < n && tries < n * 20; tries++) {
      let item: number
      if (random() < o.tasteShare) {
        let r = random() * tasteTotal
        let c = 0
        while (c < nc - 1 && r >= (tastes[c] as number)) r -= tastes[c++] as number
        const list = members[c] as number[]
        if (list.length === 0) continue
        item = pick(list, clusterCum[c] as Float64Array)
      } else item = pick(all, globalCum)
      if (seen.has(item)) continue
      seen.add(item)
      const liked = itemCluster[item] === main ? 1 : (tastes[itemCluster[item] as number] as number) > 0 ? 0.5 : 0
      const rating = Math.max(1, Math.min(5, Math.round(2.6 + 1.6 * liked + (random() - 0.5) * 2.2)))
      const time = Math.floor(Math.max(userStart, release[item] as number) + random() * 30 * DAY)
      ratings.push({ user: String(u + 1), item: String(item + 1), rating, timestamp: time })
    }
  }
  const items: ItemContent[] = []
  const vocab = (c: number) =>
    Array.from(
      { length: 40 },
      (_, w) => `${syllables[(c * 7 + w) % syllables.length]}${syllables[(c * 3 + w * 5) % syllables.length]}${syllables[(c + w) % syllables.length]}${c}`,
    )
  const vocabularies = Array.from({ length: nc }, (_, c) => vocab(c))
  const common = vocab(nc + 1)
  const words = (c: number, n: number) =>
    Array.from({ length: n }, () => {
      const list = random() < 0.6 ? (vocabularies[c] as string[]) : common
      return list[Math.floor(random() * list.length)] as string
    }).join(' ')
  for (let i = 0; i < o.items; i++) {
    const c = itemCluster[i] as number
    items.push({
      itemId: String(i + 1),
      title: words(c, 4),
      text: words(c, 30),
      categories: [`genre-${c}`],
      publishedAt: (release[i] as number) * 1000,
    })
  }
  return { ratings, items }
}
