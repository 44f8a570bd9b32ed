// Per-item, per-hour weighted interaction counts: trending is computed from these buckets with a
// time decay at query time, so the consumer only ever increments (cheap, order-independent).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('item_popularity')
    .ifNotExists()
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('item_popularity_pkey', ['item_id', 'bucket'])
    .execute()
  await db.schema.createIndex('item_popularity_bucket_idx').ifNotExists().on('item_popularity').column('bucket').execute()
}
