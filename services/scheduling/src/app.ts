import type { ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import { type SchedulingConfig, SchedulingConfigSchema, schedulingSettings } from './config.ts'
import { consentsConsumer } from './consumers/consents-consumer.ts'
import { interactionsConsumer } from './consumers/interactions-consumer.ts'
import { preferencesConsumer } from './consumers/preferences-consumer.ts'
import { segmentsConsumer } from './consumers/segments-consumer.ts'
import type { SchedulingDb } from './db.ts'
import { createDispatcher } from './dispatch/dispatcher.ts'
import { webhookClient } from './dispatch/webhook-client.ts'
import { defaultModelOptions } from './domain/user-activity.ts'
import { bestTimesRoutes } from './routes/best-times.ts'
import { calendarRoutes } from './routes/calendar.ts'
import { campaignRoutes } from './routes/campaigns/index.ts'
import { BestTimes } from './schemas/best-times.ts'
import { Calendar } from './schemas/calendar.ts'
import { Campaign, CampaignInput, CampaignReport, Delivery, DeliveryPage, RescheduleInput } from './schemas/campaigns.ts'
import { eraseUser } from './store/erase-user.ts'
import { exportUser } from './store/export-user.ts'

export interface SchedulingOptions {
  /** Draws the holdout group and its random times (Math.random by default; tests pass a seeded one). */
  random?: () => number
}

/** Builds the scheduling definition. */
export function schedulingService(opts: SchedulingOptions = {}): ServiceDefinition<SchedulingDb, SchedulingConfig> {
  const random = opts.random ?? Math.random
  return {
    name: 'scheduling',
    version: '0.1.0',
    description:
      'Learned send times per user and channel, a content calendar with quiet hours, frequency caps, opt-ins and consents, and a durable dispatcher of signed webhooks.',
    tags: [
      { name: 'best-times', description: 'When each user is most likely to engage' },
      { name: 'campaigns', description: 'Content scheduled for a channel and an audience, with uplift reports' },
      { name: 'deliveries', description: 'One campaign message to one user: its time, reason, guard notes and status' },
      { name: 'calendar', description: 'The team’s overview by day and week' },
    ],
    migrations,
    configSchema: SchedulingConfigSchema,
    schemas: [BestTimes, CampaignInput, Campaign, RescheduleInput, Delivery, DeliveryPage, CampaignReport, Calendar],
    routes(app, ctx) {
      const settings = schedulingSettings(ctx.config)
      const model = { ...defaultModelOptions, halfLifeDays: settings.halfLifeDays }
      bestTimesRoutes(app, () => ({ db: ctx.db, now: ctx.clock(), model, defaultTimeZone: settings.defaultTimeZone }))
      campaignRoutes(app, { ctx, settings, model, random })
      calendarRoutes(app, ctx)
    },
    consumers(ctx) {
      const s = schedulingSettings(ctx.config)
      return [
        interactionsConsumer({ schema: ctx.schema, halfLifeDays: s.halfLifeDays, defaultTimeZone: s.defaultTimeZone, clock: ctx.clock }),
        preferencesConsumer({ defaultTimeZone: s.defaultTimeZone, clock: ctx.clock }),
        consentsConsumer,
        segmentsConsumer,
      ]
    },
    privacy: { erase: eraseUser, export: exportUser },
    jobs(ctx) {
      const s = schedulingSettings(ctx.config)
      if (!s.dispatchEnabled) return []
      if (!s.webhookSecret) {
        ctx.log.warn('DELIVERY_WEBHOOK_SECRET is not set: the dispatcher does not run, deliveries stay scheduled')
        return []
      }
      const client = webhookClient({ secret: s.webhookSecret, timeoutMs: s.timeoutMs, maxSockets: s.concurrency, clock: ctx.clock })
      const dispatcher = createDispatcher(ctx, client, {
        batchSize: s.batchSize,
        concurrency: s.concurrency,
        maxAttempts: s.maxAttempts,
        retryBaseMs: s.retryBaseMs,
        leaseMs: s.leaseMs,
        defaultTimeZone: s.defaultTimeZone,
      })
      return [{ name: 'dispatcher', intervalMs: s.pollMs, run: () => dispatcher.drain() }]
    },
  }
}

/** Scheduling: activity model, best times, content calendar with guards, durable dispatcher. */
export const scheduling = schedulingService()
