// The in-memory cache of voices and policies: kept for its TTL, dropped at once on a write, and
// never filled by a read that raced a write.
import t from 'tap'
import { ReadCache } from '../../src/memory/read-cache.ts'

function setup(ttlMs = 1000) {
  let now = 0
  const cache = new ReadCache<string | undefined>({ ttlMs, maxEntries: 2, now: () => now })
  let loads = 0
  let value: string | undefined = 'v1'
  const load = async () => {
    loads++
    return value
  }
  return {
    cache,
    get: async (key = 'k') => cache.get(key, load),
    set: (v: string | undefined) => {
      value = v
    },
    advance: (ms: number) => {
      now += ms
    },
    loads: () => loads,
  }
}

t.test('kept until its TTL, then read again', async (t) => {
  const s = setup(1000)
  t.equal(await s.get(), 'v1')
  s.set('v2')
  s.advance(999)
  t.equal(await s.get(), 'v1', 'within the TTL: from memory')
  t.equal(s.loads(), 1)
  s.advance(1)
  t.equal(await s.get(), 'v2', 'after the TTL: read again (another replica’s write)')
  t.equal(s.loads(), 2)
})

t.test('an invalidation drops the entry at once', async (t) => {
  const s = setup()
  await s.get()
  s.set('v2')
  s.cache.invalidate('k')
  t.equal(await s.get(), 'v2')
})

t.test('a read that started before an invalidation is not kept', async (t) => {
  const s = setup()
  let release: (v: string) => void = () => {}
  const slow = s.cache.get('k', () => new Promise<string>((r) => (release = r)))
  s.cache.invalidate('k')
  release('stale')
  t.equal(await slow, 'stale', 'the racing caller gets what it read')
  s.set('fresh')
  t.equal(await s.get(), 'fresh', 'but the next caller reads again')
})

t.test('misses are not kept; the oldest entry goes when full', async (t) => {
  const s = setup()
  s.set(undefined)
  t.equal(await s.get('a'), undefined)
  s.set('created')
  t.equal(await s.get('a'), 'created', 'a row created after a miss is found at once')
  await s.get('b')
  await s.get('c')
  const before = s.loads()
  await s.get('a')
  t.equal(s.loads(), before + 1, 'a was evicted (maxEntries 2)')
})

t.test('concurrent readers share one load', async (t) => {
  const s = setup()
  const [a, b] = await Promise.all([s.get(), s.get()])
  t.same([a, b, s.loads()], ['v1', 'v1', 1])
})
