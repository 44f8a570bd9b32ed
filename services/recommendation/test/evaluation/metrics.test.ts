import t from 'tap'
import { catalogCoverage, exposureGini, mapAtK, mapLegacy, ndcgAtK, precisionAtK, recallAtK } from '../../src/evaluation/metrics.ts'

const relevant = new Set(['a', 'c', 'e', 'x'])
// Hits at ranks 1, 3 and 5 of a list of 5, with 4 relevant items (x never recommended).
const ranked = ['a', 'b', 'c', 'd', 'e']

t.test('precision and recall at k', async (t) => {
  t.equal(precisionAtK(relevant, ranked, 5), 3 / 5)
  t.equal(precisionAtK(relevant, ranked, 2), 1 / 2)
  // Spark's definition: a short list is divided by k, not by its length.
  t.equal(precisionAtK(relevant, ['a'], 10), 1 / 10)
  t.equal(recallAtK(relevant, ranked, 5), 3 / 4)
  t.equal(recallAtK(new Set(), ranked, 5), 0)
})

t.test('nDCG at k: hits at 1, 3, 5 of 4 relevant', async (t) => {
  const dcg = 1 / Math.log(2) + 1 / Math.log(4) + 1 / Math.log(6)
  const idcg = 1 / Math.log(2) + 1 / Math.log(3) + 1 / Math.log(4) + 1 / Math.log(5)
  t.ok(Math.abs(ndcgAtK(relevant, ranked, 5) - dcg / idcg) < 1e-12)
  // With k = 2 the ideal has min(k, |relevant|) = 2 hits.
  t.ok(Math.abs(ndcgAtK(relevant, ranked, 2) - 1 / Math.log(2) / (1 / Math.log(2) + 1 / Math.log(3))) < 1e-12)
  t.equal(ndcgAtK(relevant, ['a', 'c', 'e', 'x'], 4), 1)
  t.equal(ndcgAtK(relevant, ['b', 'd'], 2), 0)
})

t.test('MAP at k: both MS Recommenders definitions', async (t) => {
  const sum = 1 / 1 + 2 / 3 + 3 / 5
  t.ok(Math.abs(mapAtK(relevant, ranked, 5) - sum / 4) < 1e-12, 'min(k=5, 4) = 4')
  t.ok(Math.abs(mapAtK(relevant, ranked, 3) - (1 + 2 / 3) / 3) < 1e-12, 'min(k=3, 4) = 3')
  t.ok(Math.abs(mapLegacy(relevant, ranked, 3) - (1 + 2 / 3) / 4) < 1e-12, 'legacy divides by |relevant|')
  t.equal(mapAtK(relevant, ['a', 'c', 'e', 'x'], 4), 1)
})

t.test('coverage and Gini of exposure', async (t) => {
  const catalog = ['a', 'b', 'c', 'd']
  t.equal(catalogCoverage([['a', 'b'], ['a']], 4), 0.5)
  t.equal(exposureGini([['a'], ['b'], ['c'], ['d']], catalog), 0)
  // All exposure on one of 4 items: (2·4 − 4 − 1)·n / (4 · n) = 3/4.
  t.equal(exposureGini([['a'], ['a']], catalog), 0.75)
  t.equal(exposureGini([], catalog), 0)
})
