// The decision log as one row per request (issue 9): a request's decisions share its user, flag
// and time, and three rows per request cost Postgres about 78 µs of CPU per request (a tuple and
// three index entries each) on the machine that serves them. `decisions` holds a request's
// decisions as a JSON array of positional rows (see `decisionRequestRow`). The per-placement
// `decisions` table stays as it is: older rows are read from it (`why`, export, erasure, purge)
// until the retention purge empties it, and replicas of the previous version keep writing there
// during a rolling deploy. User data: `user_id` (erasure and export cover it).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('decision_requests')
    .ifNotExists()
    .addColumn('request_id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', sql`text collate "C"`)
    .addColumn('personalized', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decisions', 'jsonb', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('decision_requests_user_idx')
    .ifNotExists()
    .on('decision_requests')
    .column('user_id')
    .where(sql.ref('user_id'), 'is not', null)
    .execute()
  await db.schema.createIndex('decision_requests_created_idx').ifNotExists().on('decision_requests').column('created_at').execute()
}
