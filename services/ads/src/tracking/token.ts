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

/** The part of a request's claims its decisions share. */
export type RequestClaims = Pick<TrackingClaims, 'u' | 'z' | 't'>

/** One decision's own claims. */
export type DecisionClaims = Pick<TrackingClaims, 'd' | 'a' | 'c' | 'p' | 'f'>

/** The last secret's HMAC (every replica signs with one secret; tests may use others). */
let last: { secret: string; hmac: HmacSha256 } | undefined

function hmacOf(secret: string): HmacSha256 {
  if (last?.secret !== secret) last = { secret, hmac: new HmacSha256(secret) }
  return last.hmac
}

/** 192 bits of HMAC-SHA256, base64url. */
function mac(secret: string, body: string): string {
  return hmacOf(secret).base64url(body).slice(0, 32)
}

function macOfBytes(secret: string, body: Uint8Array): string {
  return hmacOf(secret).base64urlOfBytes(body).slice(0, 32)
}

/** Version 1, one token per decision: `<base64url(json)>.<HMAC-SHA256 of the base64url text, base64url, 192 bits>`. */
export function signClaims(secret: string, claims: TrackingClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${body}.${mac(secret, body)}`
}

/**
 * The tokens of one request's decisions, signed once (issue 9: an HMAC per decision was a tenth
 * of a decision's CPU). Version 2: `<i>.<base64url(claims)>.<HMAC-SHA256 of the claims' bytes,
 * base64url, 192 bits>`, where the claims are the request's (binary, `encodeRequest`) and `i` picks
 * decision i among them. `i` is outside the MAC: changing it gives a link of another decision of
 * the same response, which its client was handed at the same moment anyway; each decision still
 * counts once per kind. Ids that are not lowercase UUIDs (never from the catalog) get version 1.
 */
export function signRequest(secret: string, request: RequestClaims, decisions: readonly DecisionClaims[]): string[] {
  const body = encodeRequest(request, decisions)
  if (!body) return decisions.map((d) => signClaims(secret, { ...d, ...(request.u !== undefined ? { u: request.u } : {}), z: request.z, t: request.t }))
  const shared = `${body.toString('base64url')}.${macOfBytes(secret, body)}`
  return decisions.map((_, i) => `${i}.${shared}`)
}

const VERSION = 2
const HAS_USER = 2
/** Hex digit values by char code (-1: not a lowercase hex digit). */
const HEX_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Writes a lowercase UUID's 16 bytes at `at`; false when `id` is not one. */
function putUuid(buf: Buffer, at: number, id: string): boolean {
  if (id.length !== 36) return false
  let o = at
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i) !== 45) return false
      i++
      continue
    }
    const hi = HEX_VALUE[id.charCodeAt(i)] ?? -1
    const lo = HEX_VALUE[id.charCodeAt(i + 1)] ?? -1
    if (hi < 0 || lo < 0) return false
    buf[o++] = (hi << 4) | lo
    i += 2
  }
  return true
}

function uuidAt(buf: Buffer, at: number): string {
  const h = (i: number) => HEX_BYTE[buf[at + i] as number] as string
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
}

/**
 * Version byte (2), flags (1: personalized, 2: a user key follows), the time (48-bit ms,
 * big-endian), the user key (16-bit length, UTF-8), the count of decisions (8 bits), then each
 * decision: decision, ad, campaign and placement ids (16 bytes each) and the page feature
 * (8-bit length, UTF-8). Undefined when an id is not a lowercase UUID or a text is too long.
 */
function encodeRequest(r: RequestClaims, decisions: readonly DecisionClaims[]): Buffer | undefined {
  const userBytes = r.u !== undefined ? Buffer.byteLength(r.u) : -1
  let size = 8 + (userBytes >= 0 ? 2 + userBytes : 0) + 1
  for (const d of decisions) size += 65 + Buffer.byteLength(d.f)
  if (decisions.length > 255 || userBytes > 0xffff || !Number.isSafeInteger(r.t) || r.t < 0 || r.t >= 2 ** 48) return undefined
  const buf = Buffer.allocUnsafe(size)
  buf[0] = VERSION
  buf[1] = r.z | (userBytes >= 0 ? HAS_USER : 0)
  buf.writeUIntBE(r.t, 2, 6)
  let o = 8
  if (r.u !== undefined) {
    buf.writeUInt16BE(userBytes, o)
    o += 2 + buf.write(r.u, o + 2, 'utf8')
  }
  buf[o++] = decisions.length
  for (const d of decisions) {
    if (!putUuid(buf, o, d.d) || !putUuid(buf, o + 16, d.a) || !putUuid(buf, o + 32, d.c) || !putUuid(buf, o + 48, d.p)) return undefined
    o += 64
    const n = buf.write(d.f, o + 1, 'utf8')
    if (n > 255) return undefined
    buf[o] = n
    o += 1 + n
  }
  return buf
}

/** Decision `index` of a version 2 body, or undefined when the bytes are not one. */
function decodeRequest(buf: Buffer, index: number): TrackingClaims | undefined {
  if (buf.length < 9 || buf[0] !== VERSION) return undefined
  const flags = buf[1] as number
  if (flags > 3) return undefined
  const t = buf.readUIntBE(2, 6)
  let o = 8
  let u: string | undefined
  if (flags & HAS_USER) {
    const n = buf.readUInt16BE(o)
    if (o + 2 + n > buf.length) return undefined
    u = buf.toString('utf8', o + 2, o + 2 + n)
    o += 2 + n
  }
  const count = buf[o++] as number
  let found: TrackingClaims | undefined
  for (let i = 0; i < count; i++) {
    if (o + 65 > buf.length) return undefined
    const n = buf[o + 64] as number
    if (o + 65 + n > buf.length) return undefined
    if (i === index) {
      found = {
        d: uuidAt(buf, o),
        a: uuidAt(buf, o + 16),
        c: uuidAt(buf, o + 32),
        p: uuidAt(buf, o + 48),
        ...(u !== undefined ? { u } : {}),
        z: (flags & 1) as 0 | 1,
        f: buf.toString('utf8', o + 65, o + 65 + n),
        t,
      }
    }
    o += 65 + n
  }
  return o === buf.length ? found : undefined
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

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The claims of a token (version 1 or 2) whose signature is right, else undefined. */
export function verifyToken(secret: string, token: string): TrackingClaims | undefined {
  const dot = token.indexOf('.')
  if (dot <= 0) return undefined
  const second = token.indexOf('.', dot + 1)
  if (second >= 0) return verifyRequestToken(secret, token, dot, second)
  const body = token.slice(0, dot)
  if (!sameSignature(token.slice(dot + 1), mac(secret, body))) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
    return isClaims(claims) ? claims : undefined
  } catch {
    return undefined
  }
}

function verifyRequestToken(secret: string, token: string, dot: number, second: number): TrackingClaims | undefined {
  const index = token.slice(0, dot)
  if (!/^(0|[1-9][0-9]{0,2})$/.test(index)) return undefined
  const body = token.slice(dot + 1, second)
  const bytes = Buffer.from(body, 'base64url')
  // Only the canonical text of the bytes (base64url decoding skips stray characters).
  if (bytes.toString('base64url') !== body) return undefined
  if (!sameSignature(token.slice(second + 1), macOfBytes(secret, bytes))) return undefined
  return decodeRequest(bytes, Number(index))
}
