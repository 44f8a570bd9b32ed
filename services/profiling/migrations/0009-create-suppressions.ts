// Suppressed subjects: ids whose collected events (and identity merges) profiling refuses until the
// suppression is lifted, as "delete and suppress" in other customer-data platforms. Only hashes are
// kept: a suppression outlives the erasure of the user it belongs to.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('suppressions')
    .ifNotExists()
    // sha256 of the suppressed id (the user's or one of its anonymous ids).
    .addColumn('subject_hash', sql`text collate "C"`, (c) => c.primaryKey())
    // sha256 of the user the suppression was asked for: lifting it lifts its anonymous ids too.
    .addColumn('user_id_hash', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('request_id', 'uuid')
    .addColumn('suppressed_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('suppressions_user_id_hash_idx').ifNotExists().on('suppressions').column('user_id_hash').execute()
}
