import t from 'tap'
import { summarize } from '../../src/domain/aggregate.ts'
import { bucketIncrements, type ScoredText } from '../../src/domain/buckets.ts'
import { bucketStart, windowRange } from '../../src/domain/windows.ts'

const text = (over: Partial<ScoredText>): ScoredText => ({
  textId: 'x',
  source: 'comment',
  userId: 'u1',
  itemId: 'i1',
  authorId: 'a1',
  topics: ['sport'],
  label: 'negative',
  compound: -0.5,
  emotion: 'anger',
  at: new Date('2026-11-25T10:07:00Z'),
  ...over,
})

t.test('one increment per dimension, key and 15-minute bucket', async (t) => {
  const incs = bucketIncrements([
    text({ textId: 'a' }),
    text({ textId: 'b', label: 'positive', compound: 0.9, emotion: 'joy', at: new Date('2026-11-25T10:14:59Z') }),
    text({ textId: 'c', userId: null, topics: ['sport', 'sport', 'tennis'], at: new Date('2026-11-25T10:15:00Z') }),
  ])
  const item = incs.filter((i) => i.dimension === 'item')
  t.equal(item.length, 2)
  t.match(item[0], { key: 'i1', bucket: new Date('2026-11-25T10:00:00Z'), total: 2, negative: 1, positive: 1, emotions: { anger: 1, joy: 1 } })
  t.ok(Math.abs((item[0]?.compoundSum ?? 0) - 0.4) < 1e-9)
  t.equal(
    incs.filter((i) => i.dimension === 'user').reduce((s, i) => s + i.total, 0),
    2,
    'no user row for a text without user',
  )
  t.equal(
    incs.filter((i) => i.dimension === 'topic' && i.key === 'sport' && i.bucket.getTime() === Date.parse('2026-11-25T10:15:00Z'))[0]?.total,
    1,
    'a repeated topic counts once',
  )
})

t.test('a window summary has totals, emotions and a gap-free series', async (t) => {
  const now = new Date('2026-11-25T10:20:00Z')
  const { from, to } = windowRange(now, 3_600_000)
  t.same([from.toISOString(), to.toISOString()], ['2026-11-25T09:30:00.000Z', '2026-11-25T10:30:00.000Z'])
  const rows = bucketIncrements([text({}), text({ label: 'neutral', compound: 0, emotion: 'neutral' })]).filter((i) => i.dimension === 'item')
  const s = summarize(rows, from, to, 15 * 60_000)
  t.match(s, { total: 2, negative: 1, neutral: 1, positive: 0, averageCompound: -0.25, emotions: { anger: 1, neutral: 1 } })
  t.equal(s.series.length, 4)
  t.same(
    s.series.map((x) => x.total),
    [0, 0, 2, 0],
  )
  t.equal(summarize([], from, to, 15 * 60_000).averageCompound, null)
  t.same(bucketStart(new Date('2026-11-25T10:29:59Z')), new Date('2026-11-25T10:15:00Z'))
})
