// RecentMap: the newest entries by key, bounded by two generations.
import t from 'tap'
import { RecentMap } from '../src/recent-map.ts'

t.test('keeps the last max to 2·max entries, the newest always', async (t) => {
  const m = new RecentMap<string, number>(3)
  for (let i = 0; i < 10; i++) m.set(`k${i}`, i)
  const kept = Array.from({ length: 10 }, (_, i) => m.get(`k${i}`)).filter((v) => v !== undefined)
  t.ok(kept.length >= 3 && kept.length <= 6, `${kept.length} kept`)
  t.same(kept.slice(-3), [7, 8, 9])
  t.equal(m.get('k0'), undefined)
})

t.test('max 0 keeps nothing', async (t) => {
  const m = new RecentMap<string, number>(0)
  m.set('a', 1)
  t.equal(m.get('a'), undefined)
})

t.test('deleteWhere drops matching entries from both generations', async (t) => {
  const m = new RecentMap<string, { user: string }>(2)
  m.set('a', { user: 'gone' })
  m.set('b', { user: 'kept' })
  m.set('c', { user: 'gone' })
  m.deleteWhere((v) => v.user === 'gone')
  t.equal(m.get('a'), undefined, 'older generation')
  t.equal(m.get('c'), undefined, 'newer generation')
  t.same(m.get('b'), { user: 'kept' })
})
