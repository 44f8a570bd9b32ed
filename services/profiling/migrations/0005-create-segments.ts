// Segments: rule segments (a JSON rule over attributes, traits and event counts, re-evaluated as
// events arrive) and learned segments (k-means clusters of interest vectors, replaced on each run),
// with their members. A membership row goes with its segment.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('segments')
    .ifNotExists()
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('rule', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('segment_members')
    .ifNotExists()
    .addColumn('segment_id', 'uuid', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_members_pkey', ['segment_id', 'user_id'])
    .execute()
  await db.schema.createIndex('segment_members_user_idx').ifNotExists().on('segment_members').column('user_id').execute()
}
