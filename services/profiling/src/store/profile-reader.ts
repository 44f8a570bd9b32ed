import { createBatcher } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { type ProfileRows, readTraitRowsMany } from './trait-aggregates-store.ts'

/** Reads of profiles, one id at a time, as the routes ask for them. */
export interface ProfileReader {
  read(id: string): Promise<ProfileRows | undefined>
}

/**
 * Profile reads that arrive while earlier reads are running go to Postgres together as one query:
 * under load most of a read's cost is the round trip (a socket write and read on each side, a
 * statement in Postgres), not the row. Nothing is cached: every read sees what was committed when
 * its query ran.
 */
export function profileReader(db: Kysely<ProfilingDb>, schema: string, clock: () => Date, opts = { maxInFlight: 4, maxBatch: 64 }): ProfileReader {
  const batcher = createBatcher<string, ProfileRows | undefined>({
    maxInFlight: opts.maxInFlight,
    maxBatch: opts.maxBatch,
    run: (ids) => readTraitRowsMany(db, schema, ids, clock()),
  })
  return { read: (id) => batcher.submit(id) }
}
