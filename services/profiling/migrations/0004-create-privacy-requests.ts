// Data-subject requests (export, erasure) and which services confirmed each erasure; after an
// erasure completes only the id, a sha256 of the user id, the status and the timestamps remain.
// Also indexes events by time alone, for the retention job that purges old raw events.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('privacy_requests')
    .ifNotExists()
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('user_id', 'text')
    .addColumn('user_id_hash', 'text', (c) => c.notNull())
    .addColumn('services', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('privacy_requests_user_hash_idx').ifNotExists().on('privacy_requests').column('user_id_hash').execute()
  // At most one pending request per kind and user: a repeated POST returns the pending one.
  await db.schema
    .createIndex('privacy_requests_pending_uniq')
    .ifNotExists()
    .unique()
    .on('privacy_requests')
    .columns(['kind', 'user_id_hash'])
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await db.schema
    .createTable('privacy_confirmations')
    .ifNotExists()
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('privacy_requests.id').onDelete('cascade'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('privacy_confirmations_pkey', ['request_id', 'service'])
    .execute()
  // BRIN: events arrive roughly in time order, and only the retention job scans by time.
  await db.schema.createIndex('events_occurred_at_idx').ifNotExists().on('events').using('brin').column('occurred_at').execute()
}
