import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { retentionCutoff } from '../domain/retention.ts'

/**
 * Deletes raw events that happened before `cutoff`, in chunks so no statement holds locks on a
 * large range for long; the aggregates built from them (profile_* tables) stay. Returns the count.
 */
export async function purgeEventsBefore(db: Kysely<ProfilingDb>, cutoff: Date, chunk = 10_000): Promise<number> {
  let total = 0
  for (;;) {
    const r = await db
      .deleteFrom('events')
      .where('id', 'in', db.selectFrom('events').select('id').where('occurredAt', '<', cutoff).limit(chunk))
      .executeTakeFirst()
    const n = Number(r.numDeletedRows)
    total += n
    if (n < chunk) return total
  }
}

/** One retention pass as of `now`: what the periodic job and `POST /v1/privacy/retention/run` do. */
export async function runRetention(db: Kysely<ProfilingDb>, now: Date, retentionDays: number): Promise<{ purged: number; cutoff: Date }> {
  const cutoff = retentionCutoff(now, retentionDays)
  return { purged: await purgeEventsBefore(db, cutoff), cutoff }
}
