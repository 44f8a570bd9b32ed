import t from 'tap'
import { formatRatings, parseRatings, type Rating, toInteractions } from '../../src/evaluation/ratings.ts'
import { stratifiedSplit } from '../../src/evaluation/split.ts'
import { generateSynthetic } from '../../src/evaluation/synthetic.ts'

const rows: Rating[] = []
for (let u = 1; u <= 5; u++) for (let i = 1; i <= 4 * u; i++) rows.push({ user: `u${u}`, item: `i${i}`, rating: 1 + (i % 5), timestamp: 1000 + i })

t.test('every user keeps floor(0.75 · n) rows in train, the rest in test', async (t) => {
  const { train, test } = stratifiedSplit(rows, 0.75, 42)
  t.equal(train.length + test.length, rows.length)
  for (let u = 1; u <= 5; u++) {
    const n = 4 * u
    t.equal(train.filter((r) => r.user === `u${u}`).length, Math.floor(0.75 * n), `u${u} train`)
    t.equal(test.filter((r) => r.user === `u${u}`).length, n - Math.floor(0.75 * n), `u${u} test`)
  }
  const key = (r: Rating) => `${r.user}/${r.item}`
  const inTrain = new Set(train.map(key))
  t.notOk(
    test.some((r) => inTrain.has(key(r))),
    'no row in both',
  )
})

t.test('the split is deterministic by seed', async (t) => {
  const a = stratifiedSplit(rows, 0.75, 7)
  const b = stratifiedSplit(rows, 0.75, 7)
  t.same(a.test, b.test)
  const c = stratifiedSplit(rows, 0.75, 8)
  t.notSame(
    a.test.map((r) => r.item),
    c.test.map((r) => r.item),
  )
})

t.test('u.data round trip and weight schemes', async (t) => {
  t.same(parseRatings(formatRatings(rows)), rows)
  t.same(parseRatings('196\t242\t3\t881250949\n\n186 302 3 891717742\n'), [
    { user: '196', item: '242', rating: 3, timestamp: 881250949 },
    { user: '186', item: '302', rating: 3, timestamp: 891717742 },
  ])
  t.throws(() => parseRatings('1\t2\tthree\t4\n'), /line 1/)
  const [row] = rows
  t.same(toInteractions([row as Rating], 'centered')[0], { userId: 'u1', itemId: 'i1', weight: -1, time: 1_001_000 })
  t.equal(toInteractions([row as Rating], 'binary')[0]?.weight, 1)
})

t.test('synthetic data is seeded, sized and has content', async (t) => {
  const a = generateSynthetic({ users: 50, items: 80, interactions: 2000, seed: 3 })
  const b = generateSynthetic({ users: 50, items: 80, interactions: 2000, seed: 3 })
  t.same(a.ratings.slice(0, 50), b.ratings.slice(0, 50))
  t.ok(Math.abs(a.ratings.length - 2000) < 200, `about 2000 rows (${a.ratings.length})`)
  t.equal(new Set(a.ratings.map((r) => r.user)).size, 50)
  t.ok(a.ratings.every((r) => r.rating >= 1 && r.rating <= 5))
  t.equal(a.items.length, 80)
  t.ok(a.items.every((i) => (i.title ?? '').length > 0 && (i.categories ?? []).length === 1))
})
