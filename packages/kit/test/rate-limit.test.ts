import t from 'tap'
import { RateLimiter, RouteLimits } from '../src/http/rate-limit.ts'

t.test('counts per caller within a window; a refused request is not counted', async (t) => {
  let now = 1_000
  const limiter = new RateLimiter({ max: 2, windowMs: 10_000, now: () => now })
  t.equal(limiter.take('a'), 1)
  t.equal(limiter.take('a'), 0)
  t.equal(limiter.take('a'), -1, 'over the limit')
  t.equal(limiter.take('b'), 1, 'another caller has its own count')
  now += 4_500
  t.equal(limiter.secondsLeft(), 5, 'whole seconds left in the window, rounded up')
  t.equal(limiter.take('a'), -1, 'still over')
  t.equal(limiter.left('a'), 0, 'the refused requests were not counted')
  const err = limiter.rateLimited('a')
  t.equal(err.code, 'rate_limited')
  // The window [0, 10 s) counted 2; from 10 s, 2·(1 − f) + 1 ≤ 2 once f ≥ 1/2: at 15 s, 9.5 s from now.
  t.equal(err.headers?.['retry-after'], '10')
})

t.test('no burst of twice the limit across a window boundary (the fixed-window flaw)', async (t) => {
  let now = 59_000
  const limiter = new RateLimiter({ max: 10, windowMs: 60_000, now: () => now })
  for (let i = 0; i < 10; i++) t.ok(limiter.take('k') >= 0, 'the limit at the end of one window')
  now = 61_000
  t.equal(limiter.take('k'), -1, 'a fixed window would allow ten more here')
  t.equal(limiter.retryAfter('k'), 5, 'once 10·(1 − f) + 1 ≤ 10: f ≥ 0.1, at 66 s')
  now = 66_000
  t.equal(limiter.take('k'), 0, 'one more, as the earlier ten weigh less')
  t.equal(limiter.take('k'), -1)
  now = 90_000
  // 10·0.5 + 1 = 6 weighted: 4 left before counting.
  t.equal(limiter.left('k'), 4)
  let allowed = 0
  while (limiter.take('k') >= 0) allowed++
  t.equal(allowed, 4, 'over any 60 s span, about the limit')
  now = 180_000
  t.equal(limiter.left('k'), 10, 'two windows later nothing weighs')
})

t.test('retry-after when the current window alone is over the limit', async (t) => {
  let now = 0
  const limiter = new RateLimiter({ max: 4, windowMs: 10_000, now: () => now })
  for (let i = 0; i < 4; i++) limiter.take('k')
  now = 2_000
  // Next window from 10 s: 4·(1 − f) + 1 ≤ 4 once f ≥ 1/4, at 12.5 s: 10.5 s from now.
  t.equal(limiter.retryAfter('k'), 11)
  now = 12_499
  t.equal(limiter.take('k'), -1)
  now = 12_500
  t.equal(limiter.take('k'), 0)
  t.equal(limiter.retryAfter('fresh'), 1, 'a caller with room: at least a second')
})

t.test('a route with its own limit counts in it and in the service-wide one; headers tell the tighter', async (t) => {
  const limits = new RouteLimits({ max: 5, windowMs: 60_000 })
  const own = { rateLimit: { max: 2, timeWindow: 1_000 } }
  t.equal(limits.ownOf(undefined), undefined)
  t.equal(limits.ownOf({}), undefined)
  t.equal(limits.ownOf(own)?.max, 2)
  t.equal(limits.ownOf(own), limits.ownOf(own), 'one limiter per route, kept across requests')
  t.match(limits.take('k', own), { remaining: 1, limiter: { max: 2 } })
  t.match(limits.take('k', undefined), { remaining: 3, limiter: { max: 5 } })
  t.match(limits.take('k', own), { remaining: 0, limiter: { max: 2 } })
  t.match(limits.take('k', own), { remaining: -1, limiter: { max: 2 } }, 'over the route limit')
  t.match(limits.take('k', undefined), { remaining: 1, limiter: { max: 5 } }, 'the route requests counted service-wide too, not the refused one')
  t.match(limits.take('k', undefined), { remaining: 0, limiter: { max: 5 } })
  t.match(limits.take('k', undefined), { remaining: -1, limiter: { max: 5 } }, 'refused by the service-wide limit')
})
