// Every ingested batch updates its users' aggregate rows in place. With room left on each page,
// Postgres can keep the new row version on the same page without touching the primary key index
// (a HOT update), which is most of the cost of such an upsert. Applies to pages written from now on.
import { type Kysely, sql } from 'kysely'

const tables = ['profiles', 'profile_daily_counts', 'profile_affinities', 'profile_hours', 'profile_languages', 'profile_sentiment']

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of tables) await sql`alter table ${sql.id(t)} set (fillfactor = 70)`.execute(db)
}
