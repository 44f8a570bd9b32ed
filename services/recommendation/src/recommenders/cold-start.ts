import type { PopularityModel } from './popularity-recommender.ts'
import { TopK } from './top-k.ts'
import type { TrainingData } from './training-data.ts'
import type { ItemContent, Scored } from './types.ts'

/**
 * Cold start for a user with no history: popularity within the topics they chose (categories or
 * tags, case-insensitive). Items matching more topics rank first; ties by popularity. Without
 * topics (or no match) it is plain popularity.
 */
export function recommendForTopics(
  popularity: PopularityModel,
  content: readonly (ItemContent | undefined)[],
  topics: readonly string[],
  k: number,
  allow: (item: number) => boolean = () => true,
): Scored[] {
  const wanted = new Set(topics.map((t) => t.toLowerCase()))
  if (wanted.size > 0) {
    const heap = new TopK(k)
    const maxPop = Math.max(1e-9, Math.abs(popularity.scores[popularity.order[0] ?? 0] ?? 1))
    for (let i = 0; i < content.length; i++) {
      const c = content[i]
      if (!c) continue
      let matches = 0
      for (const t of [...(c.categories ?? []), ...(c.tags ?? [])]) if (wanted.has(t.toLowerCase())) matches++
      if (matches === 0 || !allow(i)) continue
      // matches dominate; popularity (scaled below 1) orders items with as many matches.
      heap.push(i, matches + Math.max(0, (popularity.scores[i] ?? 0) / maxPop) * 0.999)
    }
    const out = heap.sorted().map((s): Scored => ({ ...s, reason: 'topics' }))
    if (out.length >= k) return out
    const have = new Set(out.map((s) => s.item))
    return [
      ...out,
      ...popularity
        .prepare({ items: new Int32Array(0), weights: new Float32Array(0), times: new Float64Array(0) })
        .top(k - out.length, (i) => !have.has(i) && allow(i)),
    ]
  }
  return popularity.prepare({ items: new Int32Array(0), weights: new Float32Array(0), times: new Float64Array(0) }).top(k, allow)
}

/**
 * Popularity among a segment's users (distinct users with positive feedback), for a new user
 * known only by segment. Falls back to nothing for items no member touched.
 */
export function segmentPopularity(data: TrainingData, members: Iterable<string>): Float32Array {
  const scores = new Float32Array(data.itemIds.length)
  for (const id of members) {
    const u = data.userIndex.get(id)
    if (u === undefined) continue
    for (let p = data.byUser.indptr[u] as number, end = data.byUser.indptr[u + 1] as number; p < end; p++) {
      const j = data.byUser.indices[p] as number
      scores[j] = (scores[j] as number) + Math.sign(data.byUser.values[p] as number)
    }
  }
  return scores
}
