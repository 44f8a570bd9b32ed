import t from 'tap'
import { RateLimiter, RouteLimits } from '../src/http/rate-limit.ts'

t.test('counts per caller within a window and starts again after it', async (t) => {
  let now = 1_000
  const limiter = new RateLimiter({ max: 2, windowMs: 10_000, now: () => now })
  t.equal(limiter.take('a'), 1)
  t.equal(limiter.take('a'), 0)
  t.equal(limiter.take('a'), -1, 'over the limit')
  t.equal(limiter.take('b'), 1, 'another caller has its own count')
  now += 4_500
  t.equal(limiter.secondsLeft(), 6, 'whole seconds left, rounded up')
  t.equal(limiter.take('a'), -2, 'still the same window')
  now += 5_500
  t.equal(limiter.take('a'), 1, 'a new window')
  const err = limiter.rateLimited()
  t.equal(err.code, 'rate_limited')
  t.equal(err.headers?.['retry-after'], '10')
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
  t.match(limits.take('k', undefined), { remaining: 0, limiter: { max: 5 } }, 'the route requests counted service-wide too')
})
