// Bulk reads of user activity rows as one binary value per query. A 100k-user campaign reads ~80k
// rows of 168 float32 bins: as rows of bytea hex that was ~100 MB of text, a row object, a string
// per column and a small buffer per row, most of the planner's reading time and garbage. Instead
// Postgres concatenates self-describing records and sends them base64-encoded in one value; the
// client decodes them with fixed offsets and views the bins in place (no copy, no per-row buffer).
import { sql } from 'kysely'
import { BINS } from '../domain/activity-increments.ts'
import { ALL_CHANNELS } from '../domain/engagement.ts'

const BIN_BYTES = BINS * 4

/**
 * One record per `activity_models` row, every field 4-byte aligned so the bins can be viewed as
 * float32 in place (`int4send`/`float8send` are big-endian; the bins stay little-endian float32):
 *
 *   int4 bins byte length | bins | int4 1 if channel = 'all' else 0 | int4 events |
 *   float8 first_at, last_at, updated_at (epoch ms) | int4 id byte length | id (UTF-8) | 0–3 zero bytes
 */
export const activityRecords = sql<string | null>`encode(string_agg(
  int4send(octet_length(bins)) || bins || int4send((channel = ${ALL_CHANNELS})::int) || int4send(events)
  || float8send(floor(extract(epoch from first_at) * 1000)::float8) || float8send(floor(extract(epoch from last_at) * 1000)::float8)
  || float8send(floor(extract(epoch from updated_at) * 1000)::float8)
  || int4send(octet_length(convert_to(user_id, 'UTF8'))) || convert_to(user_id, 'UTF8')
  || substring('\\x000000'::bytea from 1 for (4 - octet_length(convert_to(user_id, 'UTF8')) % 4) % 4),
  ''::bytea), 'base64')`

/** One decoded record: `bins` is a view into the decoded value. */
export interface ActivityRecord {
  userId: string
  isAll: boolean
  bins: Float32Array
  events: number
  firstMs: number
  lastMs: number
  updatedMs: number
}

/** Decodes `activityRecords` (base64), calling `each` per record in order. */
export function decodeActivityRecords(base64: string, each: (r: ActivityRecord) => void): void {
  const buf = Buffer.from(base64, 'base64')
  // A fresh buffer starts 4-aligned; a pooled one may not, and then the bins are copied once.
  const bytes = buf.byteOffset % 4 === 0 ? buf : Buffer.from(new Uint8Array(buf))
  const at = bytes.byteOffset
  let off = 0
  while (off < bytes.length) {
    const binBytes = bytes.readInt32BE(off)
    if (binBytes !== BIN_BYTES) throw new Error(`an activity row has ${binBytes} bytes of bins, not ${BIN_BYTES}`)
    const bins = new Float32Array(bytes.buffer, at + off + 4, BINS)
    off += 4 + BIN_BYTES
    const isAll = bytes.readInt32BE(off) === 1
    const events = bytes.readInt32BE(off + 4)
    const firstMs = bytes.readDoubleBE(off + 8)
    const lastMs = bytes.readDoubleBE(off + 16)
    const updatedMs = bytes.readDoubleBE(off + 24)
    const idBytes = bytes.readInt32BE(off + 32)
    const userId = bytes.toString('utf8', off + 36, off + 36 + idBytes)
    off += 36 + idBytes + ((4 - (idBytes % 4)) % 4)
    each({ userId, isAll, bins, events, firstMs, lastMs, updatedMs })
  }
}
