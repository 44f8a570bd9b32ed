// The raw interaction log the collector writes: the event id (the client's idempotency key) is the
// primary key, so a replayed batch inserts nothing twice.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .ifNotExists()
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('item_id', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .execute()
  // Partial: most events carry only one of the two ids, and every index entry costs ingest time.
  await db.schema.createIndex('events_user_time_idx').ifNotExists().on('events').columns(['user_id', 'occurred_at']).where('user_id', 'is not', null).execute()
  await db.schema
    .createIndex('events_anonymous_time_idx')
    .ifNotExists()
    .on('events')
    .columns(['anonymous_id', 'occurred_at'])
    .where('anonymous_id', 'is not', null)
    .execute()
}
