// The user's own choices (issue 4): one preferences document per user, kept as jsonb so new
// settings read with their defaults without a migration; and consent choices per purpose as an
// append-only history (the current state is the latest choice per purpose, by `at`). Both hold
// user data: erasure and export go through store/preferences-store.ts and store/consents-store.ts.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('preferences')
    .ifNotExists()
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('consent_records')
    .ifNotExists()
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('source', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Serves both the latest choice per purpose and the history newest first.
  await db.schema
    .createIndex('consent_records_user_purpose_at_idx')
    .ifNotExists()
    .on('consent_records')
    .columns(['user_id', 'purpose', 'at desc', 'id desc'])
    .execute()
  await db.schema.createIndex('consent_records_user_at_idx').ifNotExists().on('consent_records').columns(['user_id', 'at desc', 'id desc']).execute()
}
