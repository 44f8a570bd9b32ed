// The decision log as one row per written batch (issue 9): a flush of ~500 requests as one row of
// newline-separated request rows (each a text of `decisionRequestRow`), instead of a row per
// request. Postgres parsed each request's `jsonb` and kept three index entries for it: 42–68 µs of
// its CPU per decision request while serving, on the cores the service needs; one text value
// (compressed by lz4 where the server has it) and two index entries per batch cost 17–24 µs.
// `why` finds a decision's batch by time (its UUIDv7 id carries the request's time, and a batch spans
// at most `BATCH_SPAN_MS`), erasure and export by the batch's users (a GIN index).
// `decision_requests` (0003) and `decisions` (0001) stay as they are: their rows are read (`why`,
// export, erasure, purge) until the retention purge empties them, and replicas of the previous
// versions keep writing there during a rolling deploy. While those run, their `why` answers 404 for
// a decision logged in a batch, and an erasure their consumer handles does not touch the batches;
// every replica of this version takes an erased user out of the batches itself (its erasure
// listener, `DecisionLog.forget`). User data: `user_ids` and the rows' user ids.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('decision_batches')
    .ifNotExists()
    .addColumn('batch_id', 'uuid', (c) => c.primaryKey())
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('requests', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('decision_batches_first_idx').ifNotExists().on('decision_batches').column('first_at').execute()
  await db.schema.createIndex('decision_batches_users_idx').ifNotExists().on('decision_batches').using('gin').column('user_ids').execute()
  // lz4 compresses and decompresses several times faster than the default pglz (PGlite has only pglz).
  const { rows } = await sql<{ lz4: boolean }>`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db)
  if (rows[0]?.lz4) await sql`alter table decision_batches alter column requests set compression lz4`.execute(db)
}
