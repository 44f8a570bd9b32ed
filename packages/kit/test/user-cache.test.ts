// UserCache: a replica's users, bounded (LRU), with a time to live, dropped on change, and not
// refilled from loads that may predate a change (started at or before it, or within the settle window).
import t from 'tap'
import { UserCache } from '../src/user-cache.ts'

function cache(o: { maxUsers?: number; ttlMs?: number; settleMs?: number } = {}) {
  let now = 1_000_000
  const c = new UserCache<string>({ maxUsers: o.maxUsers ?? 3, ttlMs: o.ttlMs ?? 10_000, settleMs: o.settleMs ?? 1_000, now: () => now })
  return { c, tick: (ms: number) => (now += ms), now: () => now }
}

t.test('keeps values until their time to live, counted from when the load started', async (t) => {
  const { c, tick, now } = cache()
  c.set('u1', 'a')
  t.equal(c.get('u1'), 'a')
  tick(9_999)
  t.equal(c.get('u1'), 'a')
  tick(2)
  t.equal(c.get('u1'), undefined, 'expired')
  t.equal(c.size, 0, 'and dropped')
  c.set('u2', 'b', now() - 10_001)
  t.equal(c.get('u2'), undefined, 'a load that started over a TTL ago is already expired')
})

t.test('a zero TTL keeps nothing usable once time moves', async (t) => {
  const { c, tick } = cache({ ttlMs: 0 })
  c.set('u1', 'a')
  tick(1)
  t.equal(c.get('u1'), undefined)
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

t.test('setting a kept user again makes it the youngest', async (t) => {
  const { c } = cache({ maxUsers: 2 })
  c.set('u1', 'a')
  c.set('u2', 'b')
  c.set('u1', 'a2')
  c.set('u3', 'c')
  t.equal(c.get('u2'), undefined)
  t.equal(c.get('u1'), 'a2')
})

t.test('a user used while among the youngest quarter keeps its place; older ones move up when used', async (t) => {
  const { c } = cache({ maxUsers: 8 })
  for (let i = 1; i <= 8; i++) c.set(`u${i}`, `v${i}`)
  t.equal(c.get('u8'), 'v8', 'the youngest: not moved')
  t.equal(c.get('u7'), 'v7', 'among the youngest two: not moved either, so still older than u8')
  t.equal(c.get('u1'), 'v1', 'the oldest: moved to the young end')
  c.set('u9', 'v9')
  t.equal(c.get('u2'), undefined, 'u2 was the least recently used')
  c.set('u10', 'v10')
  c.set('u11', 'v11')
  c.set('u12', 'v12')
  c.set('u13', 'v13')
  c.set('u14', 'v14')
  t.equal(c.get('u7'), undefined, 'u7 was not moved by its use, so it went before u8 (used earlier)')
  t.equal(c.get('u1'), 'v1')
  t.equal(c.get('u8'), 'v8')
})

t.test('evicts in the same order as a plain list would, over many sets, uses and changes', async (t) => {
  const { c, tick } = cache({ maxUsers: 8, settleMs: 0 })
  // The model: ids oldest first, each with the insertion count when it went to the young end.
  let model: { id: string; seq: number }[] = []
  let inserted = 0
  let seed = 7
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    return seed % n
  }
  for (let step = 0; step < 5_000; step++) {
    tick(1)
    const id = `u${random(20)}`
    const op = random(10)
    if (op < 4) {
      c.set(id, id)
      model = model.filter((e) => e.id !== id)
      model.push({ id, seq: ++inserted })
      if (model.length > 8) model.shift()
    } else if (op < 9) {
      const at = model.findIndex((e) => e.id === id)
      const kept = model[at]
      const got = c.get(id)
      if (got !== (kept ? id : undefined)) return t.fail(`step ${step}: get(${id}) = ${got}`)
      // Outside the youngest quarter (2 of 8), a use moves the user to the young end.
      if (kept && inserted - kept.seq >= 2) {
        model.splice(at, 1)
        model.push({ id, seq: ++inserted })
      }
    } else {
      c.changed([id])
      model = model.filter((e) => e.id !== id)
    }
  }
  t.equal(c.size, model.length)
  t.pass('5,000 operations agreed')
})

t.test('a change drops the user; loads started before it or within the settle window are not kept', async (t) => {
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
  tick(500)
  c.set('u1', 'read at the end of the window')
  t.equal(c.get('u1'), undefined, 'the window includes its end')
  tick(1)
  c.set('u1', 'fresh')
  t.equal(c.get('u1'), 'fresh', 'after the window, kept again')
  c.set('u1', 'read before the change, finishing late', loadStarted)
  t.equal(c.get('u1'), 'fresh', 'a load from before the change still is not kept once a fresh one was')
  c.set('u2', 'other user unaffected', loadStarted)
  t.equal(c.get('u2'), 'other user unaffected')
})

t.test('with no settle window, only loads started at or before the change are refused', async (t) => {
  const { c, tick, now } = cache({ settleMs: 0 })
  const before = now()
  tick(5)
  c.changed(['u1'])
  c.set('u1', 'started before', before)
  t.equal(c.get('u1'), undefined)
  c.set('u1', 'started in the same instant', now())
  t.equal(c.get('u1'), undefined, 'the same instant counts as before: the read may predate the change')
  tick(1)
  c.set('u1', 'started after')
  t.equal(c.get('u1'), 'started after')
})

t.test('change marks are bounded, and pruning one never lets a load from before it in', async (t) => {
  const { c, tick, now } = cache({ maxUsers: 4, settleMs: 0 })
  const slowLoad = now()
  tick(1)
  c.changed(['victim'])
  for (let i = 0; i < 10; i++) {
    tick(1)
    c.changed([`u${i}`])
  }
  t.ok((c as unknown as { changes: Map<string, number> }).changes.size <= 4, 'at most maxUsers marks')
  t.notOk((c as unknown as { changes: Map<string, number> }).changes.has('victim'), "the victim's mark was pruned")
  c.set('victim', 'read before its change', slowLoad)
  t.equal(c.get('victim'), undefined, 'still refused')
  c.set('u9', 'read before its change', now() - 1)
  t.equal(c.get('u9'), undefined, 'a kept mark still refuses')
  tick(1)
  c.set('victim', 'fresh')
  t.equal(c.get('victim'), 'fresh', 'a load after every pruned mark is kept')
})

t.test('maxUsers 0 keeps nothing', async (t) => {
  const { c } = cache({ maxUsers: 0 })
  c.set('u1', 'a')
  t.equal(c.get('u1'), undefined)
  t.equal(c.size, 0)
  c.changed(['u1'])
  t.equal((c as unknown as { changes: Map<string, number> }).changes.size, 0, 'nor any mark')
})

t.test('update replaces a kept value in place only', async (t) => {
  const { c } = cache()
  c.update('u1', 'x')
  t.equal(c.get('u1'), undefined)
  c.set('u1', 'a')
  c.update('u1', 'b')
  t.equal(c.get('u1'), 'b')
})

t.test('clear drops every user', async (t) => {
  const { c } = cache()
  c.set('u1', 'a')
  c.set('u2', 'b')
  for (const id of ['u3', 'u4', 'u5', 'u6']) c.set(id, id)
  c.clear()
  t.equal(c.size, 0)
  t.equal(c.get('u1'), undefined)
  for (const id of ['u7', 'u8', 'u9', 'u10']) c.set(id, id)
  t.same(
    ['u7', 'u8', 'u9', 'u10'].map((id) => c.get(id)),
    [undefined, 'u8', 'u9', 'u10'],
    'then evicts from the oldest again',
  )
})

t.test('the default clock is Date.now', async (t) => {
  const c = new UserCache<string>({ maxUsers: 2, ttlMs: 60_000, settleMs: 0 })
  c.set('u1', 'a', Date.now())
  t.equal(c.get('u1'), 'a')
})
