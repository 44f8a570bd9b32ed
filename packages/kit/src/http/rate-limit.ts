import type { FastifyContextConfig } from 'fastify'
import { AppError } from '../errors.ts'

/**
 * Requests per caller (an API key's name) in a sliding window, counted in this replica's memory:
 * the sliding-window counter (as Cloudflare and Redis cell-less limiters do it) weighs the
 * previous fixed window's count by the share of it still inside the last `windowMs` and adds the
 * current window's. Fixed windows alone let a caller send `max` at the end of one window and `max`
 * again at the start of the next, twice the limit within moments. Refused requests are not
 * counted, so a client that retries while limited gets in again as its count decays instead of
 * being locked out. The maps hold only callers seen in the last two windows. Written for the kit
 * because @fastify/rate-limit cost 7–8 µs of server CPU a request (five awaits, an LRU).
 */
export class RateLimiter {
  readonly max: number
  readonly windowMs: number
  private readonly now: () => number
  private current = new Map<string, number>()
  private previous = new Map<string, number>()
  /** Start of the current window (a multiple of windowMs). */
  private startsAt = Number.NEGATIVE_INFINITY

  constructor(o: { max: number; windowMs: number; now?: () => number }) {
    this.max = o.max
    this.windowMs = o.windowMs
    this.now = o.now ?? Date.now
  }

  /** Moves to the window `now` is in; returns how far into it `now` is (0–1). */
  private roll(now: number): number {
    if (now >= this.startsAt + this.windowMs) {
      const start = now - (now % this.windowMs)
      const previous = start - this.startsAt === this.windowMs ? this.current : undefined
      this.current = this.previous
      this.current.clear()
      this.previous = previous ?? new Map()
      this.startsAt = start
    }
    return Math.max(0, (now - this.startsAt) / this.windowMs)
  }

  private weighted(caller: string, into: number): number {
    return (this.previous.get(caller) ?? 0) * (1 - into) + (this.current.get(caller) ?? 0)
  }

  /** What `caller` may still send now, before counting a request (may be fractional). */
  left(caller: string): number {
    return this.max - this.weighted(caller, this.roll(this.now()))
  }

  /** Counts one request of `caller` (already checked with `left`). */
  count(caller: string): void {
    this.current.set(caller, (this.current.get(caller) ?? 0) + 1)
  }

  /** Counts one request of `caller` if it is within the limit: what it may still send after it, or -1 (refused, not counted). */
  take(caller: string): number {
    const left = this.left(caller)
    if (left < 1) return -1
    this.count(caller)
    return Math.floor(left - 1)
  }

  /** Whole seconds until the current window ends (at least 1): when what is counted now starts to weigh less. */
  secondsLeft(): number {
    return Math.max(1, Math.ceil((this.startsAt + this.windowMs - this.now()) / 1000))
  }

  /** Whole seconds (at least 1) until `caller` may send one more request, if nothing else is counted meanwhile. */
  retryAfter(caller: string): number {
    const now = this.now()
    this.roll(now)
    const prev = this.previous.get(caller) ?? 0
    const cur = this.current.get(caller) ?? 0
    const w = this.windowMs
    let waitMs: number
    // In this window, once prev·(1 − f) + cur + 1 ≤ max; else in the next one, once cur·(1 − f) + 1 ≤ max.
    if (cur + 1 <= this.max) waitMs = prev > 0 ? (1 - (this.max - 1 - cur) / prev) * w - (now - this.startsAt) : 0
    else waitMs = this.startsAt + w - now + w * Math.max(0, 1 - (this.max - 1) / cur)
    return Math.max(1, Math.ceil(waitMs / 1000))
  }

  /** The 429 for `caller`, with its `retry-after`. */
  rateLimited(caller: string, seconds = this.retryAfter(caller)): AppError {
    return new AppError('rate_limited', `Limit of ${this.max} requests per ${this.windowMs / 1000} s reached; retry in ${seconds} s`, {
      headers: { 'retry-after': String(seconds) },
    })
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's own limit per API key (window in ms), counted besides the service-wide one. */
    rateLimit?: { max: number; timeWindow: number }
  }
}

/** The service-wide limiter, and a route's own when its config sets `rateLimit`: both count. */
export class RouteLimits {
  readonly service: RateLimiter
  private readonly own = new WeakMap<object, RateLimiter>()

  constructor(service: { max: number; windowMs: number }) {
    this.service = new RateLimiter(service)
  }

  ownOf(config: FastifyContextConfig | undefined): RateLimiter | undefined {
    const limit = config?.rateLimit
    if (!limit) return undefined
    let limiter = this.own.get(limit)
    if (!limiter) {
      limiter = new RateLimiter({ max: limit.max, windowMs: limit.timeWindow })
      this.own.set(limit, limiter)
    }
    return limiter
  }

  /**
   * Counts one request of `caller` on the route if both limits allow it: the limiter with the least
   * left and what is left after it, or the limiter that refuses and -1 (nothing counted).
   */
  take(caller: string, config: FastifyContextConfig | undefined): { limiter: RateLimiter; remaining: number } {
    const own = this.ownOf(config)
    const serviceLeft = this.service.left(caller)
    const ownLeft = own ? own.left(caller) : Number.POSITIVE_INFINITY
    const tighter = own && ownLeft < serviceLeft ? own : this.service
    if (serviceLeft < 1 || ownLeft < 1) return { limiter: own && ownLeft < 1 ? own : this.service, remaining: -1 }
    this.service.count(caller)
    own?.count(caller)
    return { limiter: tighter, remaining: Math.floor(Math.min(serviceLeft, ownLeft) - 1) }
  }
}
