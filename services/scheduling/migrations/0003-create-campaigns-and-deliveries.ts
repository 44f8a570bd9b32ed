// The content calendar: campaigns (content, channel, audience, strategy) and one delivery per
// recipient with its planned time, why it was chosen, what the guards moved or skipped, and its
// dispatch state. The dispatcher claims due rows through deliveries_due_idx with FOR UPDATE SKIP
// LOCKED. Deliveries are user data, erased with the user.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .ifNotExists()
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('audience', 'jsonb', (c) => c.notNull())
    .addColumn('strategy', 'text', (c) => c.notNull())
    .addColumn('send_at', 'timestamptz')
    .addColumn('window_start', 'timestamptz')
    .addColumn('window_end', 'timestamptz')
    .addColumn('holdout_share', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('webhook_url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('campaigns_created_idx').ifNotExists().on('campaigns').column('created_at').execute()

  await db.schema
    .createTable('deliveries')
    .ifNotExists()
    .addColumn('delivery_id', 'uuid', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.campaign_id').onDelete('cascade'))
    .addColumn('user_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('grp', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('send_at', 'timestamptz', (c) => c.notNull())
    .addColumn('preferred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('notes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('engaged_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('deliveries_due_idx').ifNotExists().on('deliveries').column('due_at').where(sql.ref('status'), '=', 'scheduled').execute()
  await db.schema.createIndex('deliveries_campaign_idx').ifNotExists().on('deliveries').columns(['campaign_id', 'status']).execute()
  await db.schema.createIndex('deliveries_user_idx').ifNotExists().on('deliveries').columns(['user_id', 'channel', 'send_at']).execute()
  await db.schema.createIndex('deliveries_send_at_idx').ifNotExists().on('deliveries').column('send_at').execute()
}
