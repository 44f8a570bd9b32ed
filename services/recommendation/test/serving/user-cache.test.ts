// The per-replica user cache: bounded, with a time to live, dropped on change, and not refilled
// from reads that may predate a change (the settle window).
import t from 'tap'
import { UserCache } from '../../src/serving/user-cache.ts'

function cache(o: { maxUsers?: number; ttlMs?: number; settleMs?: number } = {}) {
  let now = 1_000_000
  const c = new UserCache<string>({ maxUsers: o.maxUsers ?? 3, ttlMs: o.ttlMs ?? 10_000, settleMs: o.settleMs ?? 1_000, now: () => now })
  return { c, tick: (ms: number) => (now += ms), now: () => now }
}

t.test('keeps values until their time to live', async (t) => {
  const { c, tick } = cache()
  c.set('u1', 'a')
  t.equal(c.get('u1'), 'a')
  tick(9_999)
  t.equal(c.get('u1'), 'a')
  tick(2)
  t.equal(c.get('u1'), undefined, 'expired')
})

t.test('bounded: the least recently used user goes first', async (t) => {
  const { c } = cache({ maxUsers: 2 })
  c.set('u1', 'a')
  c.set('u2', 'b')
  t.equal(c.get('u1'), 'a', 'u1 used, so u2 is now the oldest')
  c.set('u3', 'c')
  t.equal(c.size, 2)
  t.equal(c.get('u2'), undefined)
  t.equal(c.get('u1'), 'a')
  t.equal(c.get('u3'), 'c')
})

t.test('a user used while among the youngest quarter keeps its place; older ones move up when used', async (t) => {
  const { c } = cache({ maxUsers: 8 })
  for (let i = 1; i <= 8; i++) c.set(`u${i}`, `v${i}`)
  t.equal(c.get('u8'), 'v8', 'the youngest: not moved')
  t.equal(c.get('u1'), 'v1', 'the oldest: moved to the young end')
  c.set('u9', 'v9')
  t.equal(c.get('u2'), undefined, 'u2 was the least recently used')
  t.equal(c.get('u1'), 'v1')
  t.equal(c.get('u8'), 'v8')
})

t.test('a change drops the user; reads started before it or within the settle window are not kept', async (t) => {
  const { c, tick, now } = cache()
  c.set('u1', 'old')
  const loadStarted = now()
  tick(10)
  c.changed(['u1'])
  t.equal(c.get('u1'), undefined, 'dropped')
  c.set('u1', 'read before the change', loadStarted)
  t.equal(c.get('u1'), undefined, 'a load that started before the change is not kept')
  tick(500)
  c.set('u1', 'read while the change may not have committed')
  t.equal(c.get('u1'), undefined, 'within the settle window: used once, not kept')
  tick(600)
  c.set('u1', 'fresh')
  t.equal(c.get('u1'), 'fresh', 'after the window, kept again')
  c.set('u2', 'other user unaffected')
  t.equal(c.get('u2'), 'other user unaffected')
})

t.test('maxUsers 0 keeps nothing', async (t) => {
  const { c } = cache({ maxUsers: 0 })
  c.set('u1', 'a')
  t.equal(c.get('u1'), undefined)
  t.equal(c.size, 0)
})

t.test('update replaces a kept value in place only', async (t) => {
  const { c } = cache()
  c.update('u1', 'x')
  t.equal(c.get('u1'), undefined)
  c.set('u1', 'a')
  c.update('u1', 'b')
  t.equal(c.get('u1'), 'b')
})
