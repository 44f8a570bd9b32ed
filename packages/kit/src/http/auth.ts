import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors.ts'
import type { RouteLimits } from './rate-limit.ts'

/**
 * What a key may do. A public (browser-safe) key may send events and read recommendations;
 * a secret key may do everything.
 */
export type Scope = 'events:write' | 'recommendations:read' | 'admin'
export type KeyKind = 'public' | 'secret'

export const scopesOf: Record<KeyKind, readonly Scope[]> = {
  public: ['events:write', 'recommendations:read'],
  secret: ['events:write', 'recommendations:read', 'admin'],
}

export interface ApiKey {
  name: string
  kind: KeyKind
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a caller needs; `false` for open routes (health, metrics, docs). Default `admin`. */
    scope?: Scope | false
  }
  interface FastifyRequest {
    apiKey?: ApiKey
  }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Mints a raw key: `atn_pk_…` (public) or `atn_sk_…` (secret). Only its hash is ever configured. */
export function generateApiKey(kind: KeyKind): string {
  return `atn_${kind === 'public' ? 'pk' : 'sk'}_${randomBytes(24).toString('base64url')}`
}

/** Parses `ATTUNE_API_KEYS`: comma-separated `name:public|secret:sha256hex`. */
export function parseApiKeys(spec: string): Map<string, ApiKey> {
  const keys = new Map<string, ApiKey>()
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, kind, hash] = entry.split(':')
    if (!name || (kind !== 'public' && kind !== 'secret') || !hash || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new Error(`ATTUNE_API_KEYS entry "${name ?? ''}:…" must be name:public|secret:<64 hex sha256>`)
    }
    keys.set(hash, { name, kind })
  }
  return keys
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  const x = request.headers['x-api-key']
  return typeof x === 'string' ? x : undefined
}

/**
 * onRequest hook: resolves the key, checks the route's scope, then counts the request against the
 * key's rate limit (headers `x-ratelimit-limit`, `-remaining`, `-reset`; 429 once over). Open
 * routes (scope `false`) pass untouched. A callback hook: it never waits, so no promise per request.
 */
export function registerAuth(app: FastifyInstance, keys: Map<string, ApiKey>, limits?: RouteLimits): void {
  // Keys already recognised, by what was presented: a hash per request showed in profiles of fast
  // routes. Only configured keys enter, so it holds at most one entry per configured key.
  const recognised = new Map<string, ApiKey>()
  const resolve = (raw: string): ApiKey | undefined => {
    let key = recognised.get(raw)
    if (!key) {
      key = keys.get(hashApiKey(raw))
      if (key && recognised.size < keys.size * 4) recognised.set(raw, key)
    }
    return key
  }
  app.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config
    const scope = config?.scope ?? 'admin'
    if (scope === false) return done()
    const raw = presentedKey(request)
    const key = raw ? resolve(raw) : undefined
    if (!key) {
      return done(
        new AppError('unauthorized', raw ? 'API key not recognised' : 'Send an API key as "Authorization: Bearer <key>"', {
          headers: { 'www-authenticate': 'Bearer' },
        }),
      )
    }
    request.apiKey = key
    if (!scopesOf[key.kind].includes(scope)) return done(new AppError('forbidden', `This route needs scope ${scope}; a ${key.kind} key does not have it`))
    if (limits) {
      const { limiter, remaining } = limits.take(key.name, config)
      reply.header('x-ratelimit-limit', limiter.max)
      reply.header('x-ratelimit-remaining', Math.max(0, remaining))
      if (remaining < 0) {
        const seconds = limiter.retryAfter(key.name)
        reply.header('x-ratelimit-reset', seconds)
        return done(limiter.rateLimited(key.name, seconds))
      }
      reply.header('x-ratelimit-reset', limiter.secondsLeft())
    }
    done()
  })
}
