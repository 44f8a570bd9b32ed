// The catalog: what can be recommended, with the content fields the recommenders and filters read.
// Ids sort in the "C" collation so keyset pages walk the primary key the same way on Postgres and
// PGlite; `content_hash` lets an upsert of unchanged content skip the write and the event.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('items')
    .ifNotExists()
    .addColumn('item_id', sql`text collate "C"`, (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('text', 'text')
    .addColumn('url', 'text')
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('author', 'text')
    .addColumn('language', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('properties', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Listing filters (category, tag, author) and the freshness scan of the content recommender.
  await db.schema.createIndex('items_categories_idx').ifNotExists().on('items').using('gin').column('categories').execute()
  await db.schema.createIndex('items_tags_idx').ifNotExists().on('items').using('gin').column('tags').execute()
  await db.schema.createIndex('items_author_idx').ifNotExists().on('items').columns(['author', 'item_id']).execute()
  await db.schema.createIndex('items_published_at_idx').ifNotExists().on('items').column('published_at').execute()
}
