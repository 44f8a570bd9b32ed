import { randomFillSync } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { LAST_STORABLE_MS } from './storable.ts'

/** A seeded generator in [0, 1) (mulberry32): the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const pool = new Uint8Array(4096)
let poolAt = pool.length

/** 16 random bytes from a pool refilled 256 draws at a time: one system call per 256 ids, not one per id. */
export function pooledRandomBytes16(): Uint8Array {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  const bytes = pool.subarray(poolAt, poolAt + 16)
  poolAt += 16
  return bytes
}

/** A UUIDv7 (time-ordered, so a primary key grows at its end) from pooled randomness. */
export function timeOrderedId(): string {
  return uuidv7({ random: pooledRandomBytes16() })
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
