// Mirrors of what profiling publishes on attune.profiles, read on every recommendation request:
// the user's content preferences (mutes, followed topics, languages, the non-personalized switch)
// and segment memberships (segment popularity for cold starts). Both are erased with the user.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_preferences')
    .ifNotExists()
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('followed_topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('muted_topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('muted_authors', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('muted_items', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('non_personalized', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('user_segments')
    .ifNotExists()
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'uuid', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_segments_pkey', ['user_id', 'segment_id'])
    .execute()
  await db.schema.createIndex('user_segments_segment_idx').ifNotExists().on('user_segments').column('segment_id').execute()
}
