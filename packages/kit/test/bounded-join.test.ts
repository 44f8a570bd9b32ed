// joinBounded: parts joined in order into strings of at most maxChars.
import t from 'tap'
import { boundedJsonArrays, boundedRuns, joinBounded, MAX_PARAMETER_CHARS } from '../src/bounded-join.ts'

t.test('joins in order, each string within the bound', async (t) => {
  t.same(joinBounded([], ','), [])
  t.same(joinBounded(['a'], ','), ['a'])
  t.same(joinBounded(['aa', 'bb', 'cc', 'dd'], ',', 5), ['aa,bb', 'cc,dd'], 'exactly the bound: together')
  t.same(joinBounded(['aa', 'bb', 'cc'], ',', 4), ['aa', 'bb', 'cc'])
  t.same(joinBounded(['a', 'toolong', 'b', 'c'], '\n', 3), ['a', 'toolong', 'b\nc'], 'a part over the bound is a string alone')
  t.same(joinBounded(['ab', 'cd'], '', 4), ['abcd'])
})

t.test('the default bound keeps every string out of V8’s large-object space, and loses nothing', async (t) => {
  const rows = Array.from({ length: 1000 }, (_, i) => `{"i":${i},"text":"${'é'.repeat(400)}"}`)
  const joined = joinBounded(rows, ',')
  t.ok(joined.length > 1)
  for (const s of joined) t.ok(s.length <= MAX_PARAMETER_CHARS && s.length * 2 < 128 * 1024, `${s.length} characters`)
  t.equal(joined.join(','), rows.join(','))
})

t.test('JSON arrays of items, brackets included, each within MAX_PARAMETER_CHARS', async (t) => {
  t.same(boundedJsonArrays([]), [])
  t.same(boundedJsonArrays(['1', '{"a":2}']), ['[1,{"a":2}]'])
  const items = Array.from({ length: 300 }, (_, i) => JSON.stringify({ i, text: 'x'.repeat(500) }))
  const arrays = boundedJsonArrays(items)
  t.ok(arrays.length > 1)
  for (const a of arrays) t.ok(a.length <= MAX_PARAMETER_CHARS, `${a.length} characters`)
  t.same(
    arrays.flatMap((a) => JSON.parse(a) as unknown[]),
    items.map((i) => JSON.parse(i) as unknown),
  )
})

t.test('boundedRuns gives the same cuts as [from, to) indices', async (t) => {
  const parts = ['aaaa', 'bb', 'c', 'dddddddddd', 'e']
  t.same(boundedRuns(parts, ',', 8), [
    [0, 2],
    [2, 3],
    [3, 4],
    [4, 5],
  ])
  t.same(
    boundedRuns(parts, ',', 8).map(([a, b]) => parts.slice(a, b).join(',')),
    joinBounded(parts, ',', 8),
  )
  t.same(boundedRuns([], ',', 8), [])
})
