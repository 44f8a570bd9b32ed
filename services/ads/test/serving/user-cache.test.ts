// The user cache never keeps a read that raced with a change: a load that started before the
// user was dropped is not cached.
import t from 'tap'
import { UserCache } from '../../src/serving/user-cache.ts'

const user = () => ({
  adConsent: 'granted',
  nonPersonalized: false,
  segments: new Set<string>(),
  interests: new Set<string>(),
  impressions: new Map<string, number[]>(),
})

t.test('a load older than the last drop is not kept', async (t) => {
  const cache = new UserCache(10, 60_000)
  const started = performance.now()
  cache.drop('u1')
  cache.set('u1', user(), started)
  t.equal(cache.get('u1'), undefined, 'stale read discarded')
  cache.set('u1', user(), performance.now())
  t.ok(cache.get('u1'), 'a read after the drop is kept')
  cache.addImpression('u1', 'c1', 5)
  t.same(cache.get('u1')?.impressions.get('c1'), [5])
})

t.test('bounded and expiring', async (t) => {
  const cache = new UserCache(2, 0)
  cache.set('a', user(), performance.now())
  t.equal(cache.get('a'), undefined, 'expired at once with a zero TTL')
  const small = new UserCache(2, 60_000)
  for (const id of ['a', 'b', 'c']) small.set(id, user(), performance.now())
  t.equal(small.get('a'), undefined, 'oldest out first')
  t.ok(small.get('c'))
})
