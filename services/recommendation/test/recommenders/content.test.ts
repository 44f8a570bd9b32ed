import t from 'tap'
import { fitContent } from '../../src/recommenders/content-recommender.ts'
import { historyFromEntries } from '../../src/recommenders/history.ts'
import { loadRecommender } from '../../src/recommenders/load-recommender.ts'
import { recommend } from '../../src/recommenders/scoring.ts'
import { stem, tokenize } from '../../src/recommenders/tokenize.ts'
import { buildTrainingData } from '../../src/recommenders/training-data.ts'
import { groupData, ids, T0 } from './fixture.ts'

const data = groupData()
const at = (id: string) => data.itemIndex.get(id) as number

t.test('tokenize: lowercase, accents, stopwords, stems', async (t) => {
  t.same(tokenize('The Élections are RUNNING, policies!'), ['election', 'run', 'policy'])
  t.equal(stem('elections'), 'election')
  t.equal(stem('voted'), 'vot')
  t.equal(stem('vote'), 'vote')
  t.equal(stem('running'), 'run')
  t.equal(stem('cat'), 'cat')
})

t.test('content similarity finds the textually closest items', async (t) => {
  const content = fitContent(data)
  t.equal(ids(data, content.similar(at('a1'), 1))[0], 'fresh', 'the election recount is closest to the election results')
  t.equal(ids(data, content.similar(at('b1'), 1))[0], 'b2', 'sport goes with sport')
  const sim = content.similar(at('a1'), 10)
  t.notOk(ids(data, sim).includes('a1'))
  t.ok(
    sim.every((s, i) => i === 0 || s.score <= (sim[i - 1]?.score ?? 0)),
    'best first',
  )
})

t.test('a new item without interactions is reachable from a history', async (t) => {
  const content = fitContent(data)
  const h = historyFromEntries(data.itemIndex, [{ itemId: 'a1', weight: 2, time: T0 }])
  const recs = recommend(content, h, { k: 2 })
  t.equal(ids(data, recs)[0], 'fresh')
  t.same(
    ids(
      data,
      (recs[0]?.because ?? []).map((item) => ({ item })),
    ),
    ['a1'],
  )
  const copy = loadRecommender(JSON.parse(JSON.stringify(content.toJSON())))
  t.same(recommend(copy, h, { k: 2 }), recs)
})

t.test('a term shared by many items is sampled per item: neighbours stay on topic and spread over the catalog', async (t) => {
  // 60 items in two topics; every item of a topic shares its words, so each topic word has 30 postings.
  const items = Array.from({ length: 60 }, (_, i) => ({
    itemId: `x${i}`,
    title: i % 2 ? 'volcano eruption lava' : 'football league match',
    text: i % 2 ? `ash cloud magma crater ${i}` : `goal striker keeper referee ${i}`,
  }))
  const many = buildTrainingData([{ userId: 'u', itemId: 'x0', weight: 1, time: T0 }], { items })
  const full = fitContent(many, { maxDocumentFrequency: 0.6 })
  const sampled = fitContent(many, { maxDocumentFrequency: 0.6, maxPostingsPerTerm: 6 })
  const topic = (id: string) => Number(id.slice(1)) % 2
  const reached = new Set<string>()
  for (const item of items) {
    const i = many.itemIndex.get(item.itemId) as number
    const near = ids(many, sampled.similar(i, 5))
    t.ok(near.length > 0 && near.every((id) => topic(id) === topic(item.itemId)), `${item.itemId}: neighbours on its topic`)
    for (const id of near) reached.add(id)
  }
  t.ok(reached.size >= 50, `neighbour lists reach most of the catalog (${reached.size} of 60), not a few hubs`)
  t.ok(full.similar(0, 5).length === 5)
})
