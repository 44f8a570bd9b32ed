// Which user each anonymous visitor turned out to be, as profiling merged them: an anonymous event
// that arrives after its merge (another partition, or a late batch) is counted for the user, and
// erasing the user erases what was recorded under those anonymous ids too.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_links')
    .ifNotExists()
    .addColumn('anonymous_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('merged_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('identity_links_user_idx').ifNotExists().on('identity_links').column('user_id').execute()
}
