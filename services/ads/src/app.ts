import { AdDecisionRequest, type AnyEvent } from '@attune/contracts'
import type { ConsumerDefinition, ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import { generationFrom } from './clients/generation.ts'
import { type AdsConfig, AdsConfigSchema } from './config.ts'
import { consentConsumer } from './consumers/consent-consumer.ts'
import { preferencesConsumer } from './consumers/preferences-consumer.ts'
import { segmentsConsumer } from './consumers/segments-consumer.ts'
import type { AdsDb } from './db.ts'
import { usersChangedBy } from './domain/users-changed.ts'
import { servingListeners } from './listeners/serving-listeners.ts'
import { adRoutes } from './routes/ads.ts'
import { advertiserRoutes } from './routes/advertisers.ts'
import { campaignRoutes } from './routes/campaigns.ts'
import { copyVariantRoutes } from './routes/copy-variants.ts'
import { decisionRoutes } from './routes/decisions.ts'
import { placementRoutes } from './routes/placements.ts'
import { reportRoutes } from './routes/reports.ts'
import { trackingRoutes } from './routes/tracking.ts'
import { Advertiser, AdvertiserInput } from './schemas/advertisers.ts'
import { Campaign, CampaignInput } from './schemas/campaigns.ts'
import { CopyVariant, CopyVariantList, CopyVariantRequest } from './schemas/copy-variants.ts'
import { Ad, AdInput } from './schemas/creatives.ts'
import { DecisionResponse, Why } from './schemas/decisions.ts'
import { Placement, PlacementInput } from './schemas/placements.ts'
import { Report } from './schemas/reports.ts'
import { copySyncFor } from './serving/copy-sync.ts'
import { servingFor } from './serving/serving.ts'
import { purgeDecisions } from './store/decisions-store.ts'
import { eraseUser } from './store/erase-user.ts'
import { exportUser } from './store/export-user.ts'
import { purgeTracking } from './store/tracking-store.ts'

/** Decisions and tracking keys are kept this long (why, off-policy evaluation, deduplication). */
const RETENTION_MS = 90 * 86_400_000

/** Builds the definition; the served state (catalog, users, decision log) lives per service instance. */
export function adsService(): ServiceDefinition<AdsDb, AdsConfig> {
  return {
    name: 'ads',
    version: '0.1.0',
    description:
      'Ads for media sites: campaigns with budgets, pacing, priority tiers and CPM/CPC prices, contextual and (with consent) audience targeting, frequency caps and brand-safety blocklists, a fast decision API that learns CTR by Thompson sampling, signed tracking, reports and “why this ad”.',
    tags: [
      { name: 'campaigns', description: 'Advertisers and their campaigns: budgets, pacing, tiers, prices, targeting, caps' },
      { name: 'ads', description: 'Ads (creatives) of a campaign, and their copy variants per segment' },
      { name: 'placements', description: 'Slots on the site, by zone and format' },
      { name: 'decisions', description: 'Choosing ads for a page, and why an ad was shown' },
      { name: 'tracking', description: 'Signed impression and click links' },
      { name: 'reports', description: 'Delivery and spend by campaign, ad, placement and day' },
    ],
    migrations,
    configSchema: AdsConfigSchema,
    schemas: [
      AdvertiserInput,
      Advertiser,
      CampaignInput,
      Campaign,
      AdInput,
      Ad,
      CopyVariantRequest,
      CopyVariant,
      CopyVariantList,
      PlacementInput,
      Placement,
      AdDecisionRequest,
      DecisionResponse,
      Why,
      Report,
    ],
    routes(app, ctx) {
      const serving = servingFor(ctx)
      app.addHook('preClose', () => serving.decisions.close())
      advertiserRoutes(app, ctx, serving)
      campaignRoutes(app, ctx, serving)
      adRoutes(app, ctx, serving)
      copyVariantRoutes(app, ctx, generationFrom(ctx.config), copySyncFor(ctx))
      placementRoutes(app, ctx, serving)
      decisionRoutes(app, ctx, serving)
      trackingRoutes(app, ctx, serving)
      reportRoutes(app, ctx)
    },
    consumers: (ctx) => {
      // This replica drops the users from memory once the change commits; others learn by their listeners.
      const serving = servingFor(ctx)
      const changed = (events: AnyEvent[]) => serving.users.changed(usersChangedBy(events))
      return [consentConsumer, preferencesConsumer, segmentsConsumer].map((c): ConsumerDefinition<AdsDb> => ({ ...c, afterCommit: changed }))
    },
    listeners: (ctx) => servingListeners(servingFor(ctx)),
    privacy: { erase: eraseUser, export: exportUser },
    jobs: (ctx) => {
      const copySync = copySyncFor(ctx)
      return [
        { name: 'catalog-refresh', intervalMs: ctx.config.ADS_REFRESH_MS, run: () => servingFor(ctx).refresh() },
        ...(copySync ? [{ name: 'copy-review-sync', intervalMs: ctx.config.ADS_COPY_SYNC_MS, run: () => copySync.run() }] : []),
        {
          name: 'ads-retention',
          intervalMs: 3_600_000,
          run: async () => {
            const before = new Date(ctx.clock().getTime() - RETENTION_MS)
            await purgeDecisions(ctx.db, before)
            await purgeTracking(ctx.db, before)
          },
        },
      ]
    },
  }
}

/** Ads: campaigns, targeting, decisions with CTR learning, tracking, reports and transparency. */
export const ads = adsService()
