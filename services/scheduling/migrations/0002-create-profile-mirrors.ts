// Mirrors of what profiling publishes on attune.profiles that scheduling guards with: the user's
// time zone, quiet hours, frequency caps, channel opt-ins and non-personalized switch
// (preferences.updated), consent states (consent.changed) and segment memberships
// (segment.membership-changed). All three are user data, erased with the user.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_preferences')
    .ifNotExists()
    .addColumn('user_id', sql`text collate "C"`, (c) => c.primaryKey())
    .addColumn('time_zone', 'text')
    .addColumn('quiet_start', 'text')
    .addColumn('quiet_end', 'text')
    .addColumn('channels', 'jsonb', (c) => c.notNull())
    .addColumn('frequency_caps', 'jsonb', (c) => c.notNull())
    .addColumn('non_personalized', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('user_consents')
    .ifNotExists()
    .addColumn('user_id', sql`text collate "C"`, (c) => c.primaryKey())
    .addColumn('states', 'jsonb', (c) => c.notNull())
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('user_segments')
    .ifNotExists()
    .addColumn('segment_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_segments_pkey', ['segment_id', 'user_id'])
    .execute()
  await db.schema.createIndex('user_segments_user_idx').ifNotExists().on('user_segments').column('user_id').execute()
}
