import t from 'tap'
import { fitAls } from '../../src/recommenders/als-recommender.ts'
import { fitEase } from '../../src/recommenders/ease-recommender.ts'
import { historyFromEntries, withInteraction } from '../../src/recommenders/history.ts'
import { loadRecommender } from '../../src/recommenders/load-recommender.ts'
import { fitPopularity } from '../../src/recommenders/popularity-recommender.ts'
import { fitSar, sarSimilarity } from '../../src/recommenders/sar-recommender.ts'
import { recommend } from '../../src/recommenders/scoring.ts'
import { TopK } from '../../src/recommenders/top-k.ts'
import { buildTrainingData } from '../../src/recommenders/training-data.ts'
import type { History, Recommender } from '../../src/recommenders/types.ts'
import { DAY, groupData, ids, T0 } from './fixture.ts'

const data = groupData()
const at = (id: string) => data.itemIndex.get(id) as number
const history = (...entries: [string, number][]): History =>
  historyFromEntries(
    data.itemIndex,
    entries.map(([itemId, weight]) => ({ itemId, weight, time: T0 + 10 * DAY })),
  )
const hit = new Set([at('hit')])
const aItems = ['a1', 'a2', 'a3', 'a4', 'a5']
const bItems = ['b1', 'b2', 'b3', 'b4', 'b5']

const models: Record<string, Recommender> = {
  sar: fitSar(data),
  als: fitAls(data, { factors: 4, regularization: 0.5, alpha: 5, iterations: 10, seed: 1 }),
  ease: fitEase(data, { regularization: 1 }),
}

t.test('training data: ids to dense indexes, duplicates summed, transpose', async (t) => {
  const d = buildTrainingData([
    { userId: 'u', itemId: 'x', weight: 1, time: 5 },
    { userId: 'u', itemId: 'x', weight: 2, time: 9 },
    { userId: 'u', itemId: 'y', weight: -3, time: 7 },
    { userId: 'v', itemId: 'y', weight: 1, time: 8 },
  ])
  t.same(d.itemIds, ['x', 'y'])
  t.same(Array.from(d.byUser.indptr), [0, 2, 3])
  t.same(Array.from(d.byUser.values), [3, -3, 1])
  t.same(Array.from(d.byUser.times), [9, 7, 8])
  t.same(Array.from(d.byItem.indices), [0, 0, 1])
  t.equal(d.now, 9)
  t.equal(data.itemIds.includes('fresh'), true, 'catalog items get an index without interactions')
})

t.test('top-k keeps the best n, best first, ties by index', async (t) => {
  const h = new TopK(3)
  for (const [i, s] of [
    [0, 1],
    [1, 5],
    [2, 3],
    [3, 5],
    [4, 0],
    [5, 4],
  ] as const)
    h.push(i, s)
  t.same(h.sorted(), [
    { item: 1, score: 5 },
    { item: 3, score: 5 },
    { item: 5, score: 4 },
  ])
})

for (const [name, model] of Object.entries(models)) {
  t.test(`${name}: a reader of a1, a2 gets the rest of group a`, async (t) => {
    // Everyone read `hit`; leave it out to see the personal part.
    const recs = ids(data, recommend(model, history(['a1', 1], ['a2', 1]), { k: 3, exclude: hit }))
    t.equal(recs.length, 3)
    t.ok(
      recs.every((id) => ['a3', 'a4', 'a5'].includes(id)),
      `${recs}`,
    )
  })

  t.test(`${name}: exclude and filter are honoured, history items never come back`, async (t) => {
    const h = history(['a1', 1], ['a2', 1])
    const recs = ids(data, recommend(model, h, { k: 4, exclude: new Set([at('a3')]), filter: (i) => i !== at('a4') }))
    t.notOk(recs.includes('a3'))
    t.notOk(recs.includes('a4'))
    t.notOk(recs.includes('a1') || recs.includes('a2'))
  })

  t.test(`${name}: fold-in: adding items to the history changes the next recommendations`, async (t) => {
    let h = history(['a1', 1])
    const before = ids(data, recommend(model, h, { k: 2, exclude: hit }))
    t.ok(
      before.every((id) => aItems.includes(id)),
      `${before}`,
    )
    for (const b of ['b1', 'b2', 'b3']) h = withInteraction(h, at(b), 3, T0 + 11 * DAY)
    const after = ids(data, recommend(model, h, { k: 2, exclude: hit }))
    t.ok(
      after.some((id) => bItems.includes(id)),
      `${after}`,
    )
  })

  t.test(`${name}: negative feedback pushes similar items down and is never recommended`, async (t) => {
    const liked = recommend(model, history(['a1', 1], ['b1', 1]), { k: 10, exclude: hit })
    const disliked = recommend(model, history(['a1', 1], ['b1', -3]), { k: 10, exclude: hit })
    const rankOf = (list: { item: number }[], id: string) => {
      const r = list.findIndex((s) => s.item === at(id))
      return r < 0 ? Number.POSITIVE_INFINITY : r
    }
    t.notOk(ids(data, disliked).includes('b1'))
    t.ok(rankOf(disliked, 'b2') > rankOf(liked, 'b2'), 'b2 ranks lower after disliking b1')
    const top = ids(data, disliked.slice(0, 3))
    t.ok(
      top.every((id) => aItems.includes(id)),
      `a items lead: ${top}`,
    )
  })

  t.test(`${name}: similar items come from the same group`, async (t) => {
    const sim = ids(data, model.similar(at('a1'), 3))
    t.ok(sim.filter((id) => aItems.includes(id)).length >= 2, `${sim}`)
    t.notOk(sim.includes('a1'))
  })

  t.test(`${name}: a snapshot reloads and recommends exactly as before`, async (t) => {
    const copy = loadRecommender(JSON.parse(JSON.stringify(model.toJSON())))
    t.equal(copy.kind, model.kind)
    const h = history(['a1', 1], ['b2', 2])
    t.same(recommend(copy, h, { k: 5 }), recommend(model, h, { k: 5 }))
    t.same(copy.similar(at('b1'), 3), model.similar(at('b1'), 3))
  })
}

t.test('sar: similarity choices and explanations', async (t) => {
  t.equal(sarSimilarity('jaccard', 2, 4, 4), 2 / 6)
  t.equal(sarSimilarity('lift', 2, 4, 4), 2 / 16)
  t.equal(sarSimilarity('cosine', 2, 4, 4), 2 / 4)
  t.equal(sarSimilarity('cooccurrence', 2, 4, 4), 2)
  const recs = recommend(models.sar as Recommender, history(['a1', 1], ['b1', 1]), { k: 2 })
  for (const r of recs) t.ok(r.because && r.because.length > 0, 'each has a because')
  const b = recs.find((r) => bItems.includes(data.itemIds[r.item] as string))
  if (b)
    t.same(
      ids(
        data,
        (b.because ?? []).map((item) => ({ item })),
      ).slice(0, 1),
      ['b1'],
    )
})

t.test('sar: time decay favours recent history', async (t) => {
  const sar = fitSar(data, { halfLifeMs: DAY })
  const h = historyFromEntries(data.itemIndex, [
    { itemId: 'a1', weight: 1, time: T0 },
    { itemId: 'b1', weight: 1, time: T0 + 20 * DAY },
  ])
  const recs = ids(data, recommend(sar, h, { k: 3, now: T0 + 20 * DAY }))
  t.ok(
    recs.every((id) => bItems.includes(id)),
    `${recs}`,
  )
})

t.test('sar: incremental update counts a new pair at once', async (t) => {
  const sar = fitSar(data)
  const a1 = at('a1')
  const a2 = at('a2')
  const p =
    Array.from(sar.neighbours.indices.subarray(sar.neighbours.indptr[a1], sar.neighbours.indptr[a1 + 1])).indexOf(a2) + (sar.neighbours.indptr[a1] as number)
  const before = { occ: sar.occurrences[a2] as number, count: sar.counts[p] as number }
  sar.addInteraction(history(['a1', 1]), a2)
  t.equal(sar.occurrences[a2], before.occ + 1)
  t.equal(sar.counts[p], before.count + 1)
  t.equal(sar.neighbours.weights[p], Math.fround(sarSimilarity('jaccard', before.count + 1, sar.occurrences[a1] as number, before.occ + 1)))
})

t.test('popularity and trending', async (t) => {
  const pop = fitPopularity(data)
  t.same(ids(data, recommend(pop, history(), { k: 1 })), ['hit'])
  t.notOk(ids(data, recommend(pop, history(['hit', 1]), { k: 3 })).includes('hit'))
  // Trending with a 1-day half-life: b5 read by b0 at T0+5d and the others later beats a item read earlier.
  const trend = fitPopularity(data, { halfLifeMs: DAY })
  t.equal(trend.trending, true)
  const top = recommend(trend, history(), { k: 1 })[0]
  t.equal(top?.reason, 'trending')
  const pd = buildTrainingData([
    { userId: 'u1', itemId: 'old', weight: 1, time: 0 },
    { userId: 'u2', itemId: 'old', weight: 1, time: 0 },
    { userId: 'u3', itemId: 'new', weight: 1, time: 10 * DAY },
    { userId: 'u4', itemId: 'old', weight: -1, time: 10 * DAY },
  ])
  t.same(ids(pd, recommend(fitPopularity(pd), history(), { k: 2 })), ['old', 'new'])
  t.same(ids(pd, recommend(fitPopularity(pd, { halfLifeMs: DAY }), history(), { k: 2 })), ['new', 'old'])
})

t.test('als: fold-in is deterministic per seed', async (t) => {
  const a = fitAls(data, { factors: 4, regularization: 0.5, alpha: 5, iterations: 5, seed: 9 })
  const b = fitAls(data, { factors: 4, regularization: 0.5, alpha: 5, iterations: 5, seed: 9 })
  t.same(Array.from(a.itemFactors), Array.from(b.itemFactors))
  t.same(Array.from(a.foldIn(history(['a1', 1]))), Array.from(b.foldIn(history(['a1', 1]))))
})
