import { historyOfRow } from '../recommenders/history.ts'
import { recommend } from '../recommenders/scoring.ts'
import type { TrainingData } from '../recommenders/training-data.ts'
import type { Recommender } from '../recommenders/types.ts'
import { catalogCoverage, exposureGini, mapAtK, mapLegacy, ndcgAtK, precisionAtK, recallAtK } from './metrics.ts'
import type { Rating } from './ratings.ts'

export interface EvaluationResult {
  users: number
  precision: number
  recall: number
  ndcg: number
  /** map_at_k of recommenders ≥ 1.2 (÷ min(k, |relevant|)). */
  map: number
  /** map / map_at_k before 1.2 (÷ |relevant|), comparable with the published table. */
  mapLegacy: number
  coverage: number
  gini: number
}

/**
 * The MS Recommenders protocol: for every test user known in training, recommend k items from
 * their training history with those items removed; every test item is relevant. Users without a
 * training history are skipped (as the common-users filter does).
 */
export function evaluate(model: Recommender, data: TrainingData, test: readonly Rating[], k = 10): EvaluationResult {
  const relevant = new Map<string, Set<string>>()
  for (const r of test) {
    const s = relevant.get(r.user)
    if (s) s.add(r.item)
    else relevant.set(r.user, new Set([r.item]))
  }
  const lists: string[][] = []
  const sums = { precision: 0, recall: 0, ndcg: 0, map: 0, mapLegacy: 0 }
  let users = 0
  for (const [user, rel] of relevant) {
    const u = data.userIndex.get(user)
    if (u === undefined) continue
    const ranked = recommend(model, historyOfRow(data.byUser, u), { k, now: data.now }).map((s) => data.itemIds[s.item] as string)
    lists.push(ranked)
    users++
    sums.precision += precisionAtK(rel, ranked, k)
    sums.recall += recallAtK(rel, ranked, k)
    sums.ndcg += ndcgAtK(rel, ranked, k)
    sums.map += mapAtK(rel, ranked, k)
    sums.mapLegacy += mapLegacy(rel, ranked, k)
  }
  const mean = (x: number) => (users === 0 ? 0 : x / users)
  return {
    users,
    precision: mean(sums.precision),
    recall: mean(sums.recall),
    ndcg: mean(sums.ndcg),
    map: mean(sums.map),
    mapLegacy: mean(sums.mapLegacy),
    coverage: catalogCoverage(lists, data.itemIds.length),
    gini: exposureGini(lists, data.itemIds),
  }
}
