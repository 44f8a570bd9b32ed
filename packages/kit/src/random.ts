import { randomFillSync } from 'node:crypto'
import { LAST_STORABLE_MS } from './storable.ts'

/** A seeded generator in [0, 1) (mulberry32): the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  // The state in a typed array: a closure's variable above 2^30 is a boxed number, one allocation per draw.
  const state = new Uint32Array([seed >>> 0])
  return () => {
    const a = ((state[0] as number) + 0x6d2b79f5) >>> 0
    state[0] = a
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const pool = new Uint8Array(4096)
let poolAt = pool.length

/** Where `n` fresh random bytes start in `pool`, refilled when used up: one system call per 4 KB of randomness, not one per id. */
function takeFromPool(n: number): number {
  if (poolAt + n > pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  const at = poolAt
  poolAt += n
  return at
}

/** 16 random bytes from the pool. */
export function pooledRandomBytes16(): Uint8Array {
  const at = takeFromPool(16)
  return pool.subarray(at, at + 16)
}

/** The two lowercase hex digits of each byte, as character codes: byte b at 2b and 2b + 1. */
const HEX_CODES = new Uint8Array(512)
for (let b = 0; b < 256; b++) {
  const hex = b.toString(16).padStart(2, '0')
  HEX_CODES[2 * b] = hex.charCodeAt(0)
  HEX_CODES[2 * b + 1] = hex.charCodeAt(1)
}
/** Where each of a UUID's 16 bytes goes in its 36 characters. */
const UUID_CHAR_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]
const uuidText = Buffer.from('00000000-0000-7000-8000-000000000000', 'latin1')

function putByte(i: number, b: number): void {
  const at = UUID_CHAR_AT[i] as number
  uuidText[at] = HEX_CODES[2 * b] as number
  uuidText[at + 1] = HEX_CODES[2 * b + 1] as number
}

/**
 * A UUIDv7 (RFC 9562: time-ordered, so a primary key grows at its end) for `ms` (default now)
 * with 74 bits from pooled randomness. Written as text in one buffer: the `uuid` package's `v7`
 * allocated two byte arrays and a string of 20 pieces per id, about 1 KB, and a decision makes four.
 */
export function timeOrderedId(ms: number = Date.now()): string {
  const o = takeFromPool(10)
  putByte(0, (ms / 0x10000000000) & 0xff)
  putByte(1, (ms / 0x100000000) & 0xff)
  putByte(2, (ms / 0x1000000) & 0xff)
  putByte(3, (ms / 0x10000) & 0xff)
  putByte(4, (ms / 0x100) & 0xff)
  putByte(5, ms & 0xff)
  putByte(6, 0x70 | ((pool[o] as number) & 0x0f))
  putByte(7, pool[o + 1] as number)
  putByte(8, 0x80 | ((pool[o + 2] as number) & 0x3f))
  for (let i = 3; i < 10; i++) putByte(6 + i, pool[o + i] as number)
  return uuidText.toString('latin1', 0, 36)
}

/**
 * The milliseconds since the epoch a UUIDv7 carries (its first 48 bits), or undefined when `id` is
 * not one, or carries a time past 9999 (48 bits reach the year 10889: a query by that time failed as a 500).
 */
export function timeOfOrderedId(id: string): number | undefined {
  if (id.length !== 36 || id[14] !== '7' || id[8] !== '-') return undefined
  const ms = Number.parseInt(`${id.slice(0, 8)}${id.slice(9, 13)}`, 16)
  return Number.isSafeInteger(ms) && ms <= LAST_STORABLE_MS ? ms : undefined
}
