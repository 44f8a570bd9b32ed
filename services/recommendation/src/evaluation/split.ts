import { seededRandom } from '@attune/kit'
import type { Rating } from './ratings.ts'

export interface Split {
  train: Rating[]
  test: Rating[]
}

/**
 * Per-user stratified random split with python_stratified_split semantics (MS Recommenders): each
 * row draws a seeded uniform number, rows are ordered by it within their user, and a row is in
 * train when rank/count ≤ ratio (so a user with n rows keeps ⌊ratio·n⌋ in train, the rest in test).
 * The generator is mulberry32, not numpy's, so the same seed picks other rows than Python does.
 */
export function stratifiedSplit(rows: readonly Rating[], ratio = 0.75, seed = 42): Split {
  const random = seededRandom(seed)
  const draws = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) draws[i] = random()
  const byUser = new Map<string, number[]>()
  for (let i = 0; i < rows.length; i++) {
    const u = (rows[i] as Rating).user
    const list = byUser.get(u)
    if (list) list.push(i)
    else byUser.set(u, [i])
  }
  const inTrain = new Uint8Array(rows.length)
  for (const list of byUser.values()) {
    list.sort((a, b) => (draws[a] as number) - (draws[b] as number))
    for (let r = 0; r < list.length; r++) if ((r + 1) / list.length <= ratio + 1e-12) inTrain[list[r] as number] = 1
  }
  const train: Rating[] = []
  const test: Rating[] = []
  for (let i = 0; i < rows.length; i++) (inTrain[i] ? train : test).push(rows[i] as Rating)
  return { train, test }
}
