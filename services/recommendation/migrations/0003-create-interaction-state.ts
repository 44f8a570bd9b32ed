// What the recommenders learn from, folded from attune.interactions: one row per (user, item) with
// the weight sum and counts, the follow graph (rows kept as inactive after an unfollow, so a late
// follow older than the unfollow cannot resurrect it), and per-recommendation feedback for CTR.
// Every table here holds user data and is covered by the privacy.erase hook.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_item_interactions')
    .ifNotExists()
    .addColumn('user_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('item_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('negatives', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dwell_seconds', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_item_interactions_pkey', ['user_id', 'item_id'])
    .execute()
  // Who interacted with an item (item-to-item co-occurrence, segment popularity).
  await db.schema.createIndex('user_item_interactions_item_idx').ifNotExists().on('user_item_interactions').column('item_id').execute()

  await db.schema
    .createTable('follows')
    .ifNotExists()
    .addColumn('user_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('follows_pkey', ['user_id', 'target_type', 'target_id'])
    .execute()
  // Followers of an author or user (social feeds; erasure of the followed side).
  await db.schema.createIndex('follows_target_idx').ifNotExists().on('follows').columns(['target_type', 'target_id']).execute()

  await db.schema
    .createTable('recommendation_feedback')
    .ifNotExists()
    .addColumn('recommendation_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('engagements', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('negatives', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_feedback_pkey', ['recommendation_id', 'item_id', 'user_id'])
    .execute()
  await db.schema.createIndex('recommendation_feedback_user_idx').ifNotExists().on('recommendation_feedback').column('user_id').execute()
}
