// The ads schema: advertisers, campaigns (budgets, pacing, tier, price, targeting, caps), their ads
// and the site's placements; spend per campaign and day (pacing, budgets), impression and click
// counts per ad and page category (the bandit's posteriors), daily report rows, the decision log
// (for `why` and off-policy evaluation), tracked impressions and clicks (deduplication), and what
// is mirrored about users (consent, switches, segments, interests) with their impressions per
// campaign (frequency caps). User data (ad_users, user_impressions, decisions of a user) is deleted
// by the privacy.erase hook.
import { type Kysely, sql } from 'kysely'

const id = sql`text collate "C"`

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advertisers')
    .ifNotExists()
    .addColumn('advertiser_id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('blocked_categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('campaigns')
    .ifNotExists()
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey())
    .addColumn('advertiser_id', 'uuid', (c) => c.notNull().references('advertisers.advertiser_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz')
    .addColumn('total_budget', 'double precision', (c) => c.notNull().check(sql`total_budget >= 0`))
    .addColumn('daily_budget', 'double precision', (c) => c.check(sql`daily_budget >= 0`))
    .addColumn('pacing', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('price_model', 'text', (c) => c.notNull())
    .addColumn('price', 'double precision', (c) => c.notNull().check(sql`price >= 0`))
    .addColumn('targeting', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('frequency_cap', 'jsonb')
    .addColumn('placement_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('spent', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('campaigns_advertiser_idx').ifNotExists().on('campaigns').column('advertiser_id').execute()

  await db.schema
    .createTable('campaign_daily_spend')
    .ifNotExists()
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.campaign_id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('spent', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('campaign_daily_spend_pkey', ['campaign_id', 'day'])
    .execute()

  await db.schema
    .createTable('ads')
    .ifNotExists()
    .addColumn('ad_id', 'uuid', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.campaign_id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('image_url', 'text')
    .addColumn('click_url', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('campaign_daily_spend_updated_idx').ifNotExists().on('campaign_daily_spend').column('updated_at').execute()
  await db.schema.createIndex('ads_campaign_idx').ifNotExists().on('ads').column('campaign_id').execute()

  await db.schema
    .createTable('placements')
    .ifNotExists()
    .addColumn('placement_id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('ad_stats')
    .ifNotExists()
    .addColumn('ad_id', 'uuid', (c) => c.notNull().references('ads.ad_id').onDelete('cascade'))
    .addColumn('feature', id, (c) => c.notNull())
    .addColumn('impressions', 'bigint', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ad_stats_pkey', ['ad_id', 'feature'])
    .execute()
  await db.schema.createIndex('ad_stats_updated_idx').ifNotExists().on('ad_stats').column('updated_at').execute()

  // No foreign keys: report rows outlive deleted campaigns, ads and placements.
  await db.schema
    .createTable('stats_daily')
    .ifNotExists()
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull())
    .addColumn('ad_id', 'uuid', (c) => c.notNull())
    .addColumn('placement_id', 'uuid', (c) => c.notNull())
    .addColumn('impressions', 'bigint', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addColumn('spend', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_daily_pkey', ['day', 'campaign_id', 'ad_id', 'placement_id'])
    .execute()

  await db.schema
    .createTable('decisions')
    .ifNotExists()
    .addColumn('decision_id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull())
    .addColumn('placement_id', 'uuid', (c) => c.notNull())
    .addColumn('ad_id', 'uuid', (c) => c.notNull())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', id)
    .addColumn('personalized', 'boolean', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('propensity', 'double precision', (c) => c.notNull())
    .addColumn('feature', 'text', (c) => c.notNull())
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('decisions_user_idx').ifNotExists().on('decisions').column('user_id').where(sql.ref('user_id'), 'is not', null).execute()
  await db.schema.createIndex('decisions_created_idx').ifNotExists().on('decisions').column('created_at').execute()

  await db.schema
    .createTable('tracked')
    .ifNotExists()
    .addColumn('decision_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('charged', 'double precision', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('tracked_pkey', ['decision_id', 'kind'])
    .execute()

  await db.schema
    .createTable('ad_users')
    .ifNotExists()
    .addColumn('user_id', id, (c) => c.primaryKey())
    .addColumn('ad_consent', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('non_personalized', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('interests', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('segments', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('user_impressions')
    .ifNotExists()
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('user_impressions_user_idx').ifNotExists().on('user_impressions').columns(['user_id', 'at']).execute()
}
