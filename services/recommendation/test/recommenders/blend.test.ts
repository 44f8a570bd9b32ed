import { seededRandom } from '@attune/kit'
import t from 'tap'
import { fitAls } from '../../src/recommenders/als-recommender.ts'
import { blend } from '../../src/recommenders/blend-recommender.ts'
import { recommendForTopics, segmentPopularity } from '../../src/recommenders/cold-start.ts'
import { fitContent } from '../../src/recommenders/content-recommender.ts'
import { categorySimilarity, diversify } from '../../src/recommenders/diversity.ts'
import { createEngine, type EngineJson, loadEngine } from '../../src/recommenders/engine.ts'
import { explore } from '../../src/recommenders/explore.ts'
import { historyFromEntries } from '../../src/recommenders/history.ts'
import { fitPopularity } from '../../src/recommenders/popularity-recommender.ts'
import { fitSar } from '../../src/recommenders/sar-recommender.ts'
import { recommend } from '../../src/recommenders/scoring.ts'
import type { Scored } from '../../src/recommenders/types.ts'
import { groupData, ids, T0 } from './fixture.ts'

const data = groupData()
const at = (id: string) => data.itemIndex.get(id) as number
const h = historyFromEntries(data.itemIndex, [
  { itemId: 'a1', weight: 1, time: T0 },
  { itemId: 'a2', weight: 1, time: T0 },
])
const model = blend([
  { model: fitSar(data), weight: 1 },
  { model: fitContent(data), weight: 0.5 },
  { model: fitPopularity(data), weight: 0.2 },
])

t.test('blend keeps reasons: history items for SAR/content, popular for popularity', async (t) => {
  const recs = recommend(model, h, { k: 5 })
  t.equal(recs.length, 5)
  const top = recs[0] as Scored
  t.ok(['a3', 'a4', 'a5', 'fresh'].includes(data.itemIds[top.item] as string))
  t.ok(
    top.because?.every((i) => i === at('a1') || i === at('a2')),
    'because names history items',
  )
  t.ok(['history', 'content'].includes(top.reason ?? ''))
  const pop = recommend(blend([{ model: fitPopularity(data), weight: 1 }]), h, { k: 1 })[0]
  t.equal(pop?.reason, 'popular')
  t.ok(ids(data, recs).includes('fresh'), 'content brings in the new item')
})

t.test('blend: weights matter and the snapshot reloads', async (t) => {
  const popOnly = blend([
    { model: fitSar(data), weight: 0.001 },
    { model: fitPopularity(data), weight: 1 },
  ])
  t.equal(ids(data, recommend(popOnly, h, { k: 1 }))[0], 'hit')
  const engine = createEngine(data, model)
  const copy = loadEngine(JSON.parse(JSON.stringify(engine.toJSON())) as EngineJson)
  const entries = [{ itemId: 'a1', weight: 1, time: T0 }]
  t.same(copy.recommend(entries, { k: 4 }), engine.recommend(entries, { k: 4 }))
  t.same(copy.similar('b1', 3), engine.similar('b1', 3))
})

t.test('MMR diversity spreads categories; level 0 keeps the order', async (t) => {
  const cats = [['x'], ['x'], ['x'], ['y'], ['z']]
  const list: Scored[] = [0.9, 0.85, 0.8, 0.5, 0.4].map((score, item) => ({ item, score }))
  const sim = categorySimilarity(cats)
  t.same(
    diversify(list, 3, 0, sim).map((s) => s.item),
    [0, 1, 2],
  )
  t.same(
    diversify(list, 3, 0.7, sim).map((s) => s.item),
    [0, 3, 4],
  )
})

t.test('exploration takes a bounded, seeded share of slots, never the first', async (t) => {
  const list: Scored[] = Array.from({ length: 10 }, (_, item) => ({ item, score: 10 - item }))
  const pool = [100, 101, 102, 103]
  const a = explore(list, 10, { share: 0.2, pool, random: seededRandom(5), allow: () => true })
  const b = explore(list, 10, { share: 0.2, pool, random: seededRandom(5), allow: () => true })
  t.same(a, b)
  t.equal(a.filter((s) => s.reason === 'explore').length, 2)
  t.equal(a[0]?.item, 0)
  t.equal(explore(list, 10, { share: 0, pool, random: seededRandom(5), allow: () => true }).length, 10)
  t.same(explore(list, 10, { share: 0.5, pool, random: seededRandom(5), allow: (i) => i < 100 }), list)
})

t.test('cold start: topics, segments, and the engine fallback', async (t) => {
  const pop = fitPopularity(data)
  const sport = ids(data, recommendForTopics(pop, data.content, ['Sport'], 2))
  t.same(sport.sort(), ['b1', 'b2'])
  t.equal(ids(data, recommendForTopics(pop, data.content, [], 1))[0], 'hit')
  const seg = segmentPopularity(data, ['b0', 'b1'])
  t.equal(seg[at('a1')], 0)
  t.ok((seg[at('b2')] as number) > 0)
  const engine = createEngine(data, model)
  const recs = engine.recommend([], { k: 2, topics: ['politics'] })
  t.same(
    recs.map((r) => r.reason),
    ['topics', 'topics'],
  )
  t.ok(recs.every((r) => ['a1', 'a2', 'fresh'].includes(r.itemId)))
})

t.test('engine: ids in and out, exclusions, negative history, diversity', async (t) => {
  const engine = createEngine(data, blend([{ model: fitAls(data, { factors: 4, regularization: 0.5, alpha: 5, iterations: 8 }), weight: 1 }]))
  const recs = engine.recommend(
    [
      { itemId: 'a1', weight: 1, time: T0 },
      { itemId: 'b3', weight: -2, time: T0 },
      { itemId: 'unknown', weight: 5 },
    ],
    { k: 5, excludeIds: ['hit'], filter: (id) => id !== 'a2' },
  )
  const got = recs.map((r) => r.itemId)
  t.equal(got.length, 5)
  t.notOk(got.includes('hit') || got.includes('a2') || got.includes('a1') || got.includes('b3'))
  t.ok(recs.every((r) => r.reason === 'similar-users'))
  const diverse = engine.recommend([{ itemId: 'a1', weight: 1, time: T0 }], { k: 3, diversity: 1 })
  t.equal(diverse.length, 3)
  t.same(engine.similar('nope', 3), [])
})

t.test('engine: kept candidates answer requests as the model would; a filter they cannot fill asks the model', async (t) => {
  const engine = createEngine(data, model)
  const entries = [
    { itemId: 'a1', weight: 1, time: T0 },
    { itemId: 'b2', weight: -1, time: T0 },
  ]
  const all = engine.candidates(entries, { k: 50, now: T0 })
  t.ok(all.complete, 'fewer items than asked for: the list is the whole ranking')
  t.notOk(
    all.list.some((s) => s.item === at('a1') || s.item === at('b2')),
    'history and negatives are out',
  )
  const idsOf = (recs: { itemId: string }[] | undefined) => recs?.map((r) => r.itemId)
  t.same(idsOf(engine.rerank(all, { k: 3, now: T0 })), idsOf(engine.recommend(entries, { k: 3, now: T0 })), 'the same items as the model')
  // Filters and exclusions keep the candidates' order (blend scales are those of the unfiltered ranking).
  const order = all.list.map((s) => data.itemIds[s.item] as string)
  for (const request of [
    { k: 3, excludeIds: ['a2'] },
    { k: 3, filter: (id: string) => id.startsWith('b') },
  ]) {
    const got = idsOf(engine.rerank(all, { now: T0, ...request })) ?? []
    const allowed = order.filter((id) => !request.excludeIds?.includes(id) && (request.filter?.(id) ?? true))
    t.same(got, allowed.slice(0, 3), JSON.stringify(request))
  }
  t.equal(engine.rerank(all, { k: 4, diversity: 0.7, now: T0 })?.length, 4)
  const memo = engine.rerank(all, { k: 3, diversity: 0.5, now: T0 }, 'first-page')
  t.ok(all.ranked.has('first-page'), 'a first page is ranked once')
  t.same(engine.rerank(all, { k: 3, diversity: 0.5, now: T0 }, 'first-page'), memo)
  engine.rerank(all, { k: 3, excludeIds: ['a2'], now: T0 }, 'with-exclusions')
  t.notOk(all.ranked.has('with-exclusions'), 'exclusions are per request, never kept')

  const few = engine.candidates(entries, { k: 2, now: T0 })
  t.notOk(few.complete)
  t.equal(
    engine.rerank(few, { k: 2, filter: (id) => id === 'fresh', now: T0 }),
    undefined,
    'two kept candidates cannot answer a narrow filter: the caller asks recommend',
  )
})
