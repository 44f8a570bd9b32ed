// Token usage per key and day was one row that every generate request updated: concurrent
// requests of a key queued on its lock until each commit. Now each day's usage is spread over
// 16 rows (a random shard per write) and read as their sum.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table token_usage add column if not exists shard smallint not null default 0`.execute(db)
  await sql`alter table token_usage drop constraint if exists token_usage_pkey`.execute(db)
  await sql`alter table token_usage add constraint token_usage_pkey primary key (api_key_name, day, shard)`.execute(db)
}
