// What each recommendation response served, keyed by its recommendation id: the next page of the
// same slate excludes everything served before it (paging without repeats), and clicks that carry
// the id are attributed to the scenario and position they were shown in. Erased with the user;
// purged after the retention the service is configured with.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('served_recommendations')
    .ifNotExists()
    .addColumn('recommendation_id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scenario', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('excluded_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('page', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('served_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('served_recommendations_user_idx').ifNotExists().on('served_recommendations').column('user_id').execute()
  await db.schema.createIndex('served_recommendations_served_at_idx').ifNotExists().on('served_recommendations').column('served_at').execute()
}
