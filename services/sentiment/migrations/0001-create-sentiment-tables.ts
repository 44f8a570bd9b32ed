// Scored texts (ids and scores, never the text), 15-minute aggregate buckets per item, author, topic
// and user (windows and the spike detector sum them), the item metadata comments are attributed
// through, and spike alerts. scored_texts and the user buckets hold user data: the privacy.erase
// hook deletes them.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scored_texts')
    .ifNotExists()
    .addColumn('text_id', sql`text collate "C"`, (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('user_id', sql`text collate "C"`)
    .addColumn('item_id', sql`text collate "C"`)
    .addColumn('author_id', sql`text collate "C"`)
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('compound', 'double precision', (c) => c.notNull())
    .addColumn('emotion', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('scored_texts_user_idx').ifNotExists().on('scored_texts').column('user_id').where(sql.ref('user_id'), 'is not', null).execute()

  await db.schema
    .createTable('sentiment_buckets')
    .ifNotExists()
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('negative', 'integer', (c) => c.notNull())
    .addColumn('neutral', 'integer', (c) => c.notNull())
    .addColumn('positive', 'integer', (c) => c.notNull())
    .addColumn('compound_sum', 'double precision', (c) => c.notNull())
    .addColumn('emotions', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('sentiment_buckets_pkey', ['dimension', 'key', 'bucket'])
    .execute()

  await db.schema
    .createTable('items')
    .ifNotExists()
    .addColumn('item_id', sql`text collate "C"`, (c) => c.primaryKey())
    .addColumn('author_id', sql`text collate "C"`)
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('spike_alerts')
    .ifNotExists()
    .addColumn('alert_id', 'uuid', (c) => c.primaryKey())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('window_end', 'timestamptz', (c) => c.notNull())
    .addColumn('negative', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('negative_share', 'double precision', (c) => c.notNull())
    .addColumn('baseline_share', 'double precision', (c) => c.notNull())
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('spike_alerts_key_idx').ifNotExists().on('spike_alerts').columns(['dimension', 'key', 'detected_at']).execute()
  await db.schema.createIndex('spike_alerts_detected_idx').ifNotExists().on('spike_alerts').column('detected_at').execute()
}
