import t from 'tap'
import { fitContent } from '../../src/recommenders/content-recommender.ts'
import { historyFromEntries } from '../../src/recommenders/history.ts'
import { loadRecommender } from '../../src/recommenders/load-recommender.ts'
import { recommend } from '../../src/recommenders/scoring.ts'
import { stem, tokenize } from '../../src/recommenders/tokenize.ts'
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
