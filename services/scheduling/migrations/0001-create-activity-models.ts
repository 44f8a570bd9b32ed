// The activity model: per user and channel (plus `all`), 168 hour-of-week bins in the user's own
// time zone, exponentially decayed (user bins are 168 little-endian float32 in a bytea, decayed to
// the row's updated_at: one read and one upsert per row and batch, cheap to read for 100k users at
// once), and the same bins summed per audience scope in forward-decay units (each engagement weighs
// 2^((t - landmark) / half-life), so a batch is one additive SQL upsert)
// (`population` and each segment) that new users are smoothed toward. activity_models is user data:
// the privacy.erase hook deletes it.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_models')
    .ifNotExists()
    .addColumn('user_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bins', 'bytea', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_models_pkey', ['user_id', 'channel'])
    .execute()

  await db.schema
    .createTable('audience_activity')
    .ifNotExists()
    .addColumn('scope', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bins', sql`double precision[]`, (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('audience_activity_pkey', ['scope', 'channel'])
    .execute()
}
