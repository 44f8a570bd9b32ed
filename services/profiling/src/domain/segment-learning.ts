import { clusterPoints } from './kmeans.ts'
import { decayedWeight } from './trait-increments.ts'

export const LearnFeatures = ['category', 'author', 'topic'] as const
export type LearnFeature = (typeof LearnFeatures)[number]

export interface AffinityRow {
  userId: string
  kind: string
  value: string
  weight: number
  asOf: Date
}

export interface LearnedCluster {
  name: string
  /** Top centroid features, e.g. "sport 0.62, politics 0.21". */
  description: string
  features: { feature: string; weight: number }[]
  members: string[]
}

export interface InterestVectors {
  userIds: string[]
  features: string[]
  vectors: Float64Array[]
}

/**
 * Each user's interests as an L2-normalised vector over the features seen (decayed to `now`,
 * positive weights only); users without any positive weight are left out. Users and features are
 * sorted, so the same rows always give the same vectors.
 */
export function interestVectors(rows: AffinityRow[], kinds: readonly LearnFeature[], now: Date): InterestVectors {
  const label = (r: AffinityRow) => (kinds.length === 1 ? r.value : `${r.kind}:${r.value}`)
  const byUser = new Map<string, Map<string, number>>()
  for (const r of rows) {
    if (!(kinds as readonly string[]).includes(r.kind)) continue
    const w = decayedWeight(r.weight, r.asOf, now)
    if (!(w > 0)) continue
    const m = byUser.get(r.userId) ?? new Map<string, number>()
    byUser.set(r.userId, m)
    m.set(label(r), (m.get(label(r)) ?? 0) + w)
  }
  const features = [...new Set([...byUser.values()].flatMap((m) => [...m.keys()]))].sort()
  const index = new Map(features.map((f, i) => [f, i]))
  const userIds = [...byUser.keys()].sort()
  const vectors = userIds.map((u) => {
    const v = new Float64Array(features.length)
    for (const [f, w] of byUser.get(u) ?? []) v[index.get(f) as number] = w
    let squares = 0
    for (const x of v) squares += x * x
    const norm = Math.sqrt(squares)
    return v.map((x) => x / norm)
  })
  return { userIds, features, vectors }
}

const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * Clusters interest vectors with seeded k-means++ (k given, or chosen in 2..8 by silhouette) and
 * describes each cluster by its strongest centroid features. Clusters come largest first.
 */
export function learnSegments(data: InterestVectors, opts: { k?: number; seed: number }): { k: number; silhouette: number; clusters: LearnedCluster[] } {
  const result = clusterPoints(data.vectors, { ...(opts.k !== undefined ? { k: opts.k } : {}), range: [2, 8], seed: opts.seed })
  const clusters = result.centroids.map((centroid, c) => {
    const features = [...centroid]
      .map((weight, i) => ({ feature: data.features[i] as string, weight: round2(weight) }))
      .filter((f) => f.weight >= 0.05)
      .sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature))
      .slice(0, 3)
    const members = data.userIds.filter((_, i) => result.assignments[i] === c)
    return { features, members }
  })
  const ordered = clusters
    .filter((c) => c.members.length > 0)
    .sort((a, b) => b.members.length - a.members.length || (a.members[0] ?? '').localeCompare(b.members[0] ?? ''))
    .map((c, i) => ({
      name: `Interest cluster ${i + 1}${c.features[0] ? `: ${c.features[0].feature}` : ''}`,
      description: c.features.map((f) => `${f.feature} ${f.weight.toFixed(2)}`).join(', '),
      features: c.features,
      members: c.members,
    }))
  return { k: result.k, silhouette: result.silhouette, clusters: ordered }
}
