import { timingSafeEqual } from 'node:crypto'
import { HmacSha256 } from './hmac.ts'

/** What a tracking link carries, so tracking needs no decision-log read (that log is written behind). */
export interface TrackingClaims {
  /** Decision id (one per placement). */
  d: string
  /** Ad, campaign and placement. */
  a: string
  c: string
  p: string
  /** The user key, when the request had one. */
  u?: string
  /** 1 when the decision was personalized (only then is per-user history kept). */
  z: 0 | 1
  /** The page feature the impression and click count for ('' = none). */
  f: string
  /** When the decision was made (ms since the epoch). */
  t: number
}

/** The last secret's HMAC (every replica signs with one secret; tests may use others). */
let last: { secret: string; hmac: HmacSha256 } | undefined

function mac(secret: string, body: string): string {
  if (last?.secret !== secret) last = { secret, hmac: new HmacSha256(secret) }
  return last.hmac.base64url(body).slice(0, 32)
}

/** `<base64url(json)>.<HMAC-SHA256, base64url, 192 bits>` */
export function signClaims(secret: string, claims: TrackingClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${body}.${mac(secret, body)}`
}

function isClaims(v: unknown): v is TrackingClaims {
  if (!v || typeof v !== 'object') return false
  const o = v as Record<string, unknown>
  return (
    typeof o.d === 'string' &&
    typeof o.a === 'string' &&
    typeof o.c === 'string' &&
    typeof o.p === 'string' &&
    (o.u === undefined || typeof o.u === 'string') &&
    (o.z === 0 || o.z === 1) &&
    typeof o.f === 'string' &&
    typeof o.t === 'number'
  )
}

/** The claims of a token whose signature is right, else undefined. */
export function verifyToken(secret: string, token: string): TrackingClaims | undefined {
  const dot = token.indexOf('.')
  if (dot <= 0) return undefined
  const body = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1))
  const expected = Buffer.from(mac(secret, body))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
    return isClaims(claims) ? claims : undefined
  } catch {
    return undefined
  }
}
