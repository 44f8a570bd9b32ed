import { type BaseConfig, extendConfig } from '@attune/kit'
import { Type } from 'typebox'

/** The kit's variables plus scheduling's own (read once, by the host). */
export const SchedulingConfigSchema = extendConfig({
  DELIVERY_WEBHOOK_URL: Type.Optional(
    Type.String({ format: 'uri', pattern: '^https?://', description: 'Default webhook deliveries are POSTed to when a campaign names none' }),
  ),
  DELIVERY_WEBHOOK_SECRET: Type.Optional(
    Type.String({ minLength: 16, description: 'HMAC-SHA256 key that signs every webhook (x-attune-signature); deliveries are not sent without it' }),
  ),
  DISPATCH_ENABLED: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Run the dispatcher in this replica (default true)' }),
  ),
  DISPATCH_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, description: 'Deliveries claimed per dispatcher transaction (default 500)' })),
  DISPATCH_CONCURRENCY: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Webhook requests in flight per replica (default 64)' })),
  DISPATCH_POLL_MS: Type.Optional(
    Type.Integer({ minimum: 10, maximum: 60000, description: 'How often the dispatcher looks for due deliveries (default 500)' }),
  ),
  DISPATCH_MAX_ATTEMPTS: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Webhook attempts before a delivery is failed (default 6)' })),
  DISPATCH_RETRY_BASE_MS: Type.Optional(
    Type.Integer({ minimum: 10, maximum: 3_600_000, description: 'First retry delay; doubles each attempt (default 30000)' }),
  ),
  DISPATCH_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 60000, description: 'Webhook request timeout (default 10000)' })),
  DISPATCH_LEASE_MS: Type.Optional(
    Type.Integer({
      minimum: 100,
      maximum: 86_400_000,
      description:
        'How long a claimed batch is held before another replica may claim it again (default: twice the longest a batch can take, at least 5 minutes)',
    }),
  ),
  ACTIVITY_HALF_LIFE_DAYS: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 365, description: 'Half-life of an engagement in the activity model (default 14)' }),
  ),
  DEFAULT_TIME_ZONE: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Time zone of users who set none (default UTC)' })),
})

/** Scheduling's configuration; unset own variables mean the defaults in `schedulingSettings`. */
export type SchedulingConfig = BaseConfig & {
  DELIVERY_WEBHOOK_URL?: string
  DELIVERY_WEBHOOK_SECRET?: string
  DISPATCH_ENABLED?: 'true' | 'false'
  DISPATCH_BATCH_SIZE?: number
  DISPATCH_CONCURRENCY?: number
  DISPATCH_POLL_MS?: number
  DISPATCH_MAX_ATTEMPTS?: number
  DISPATCH_RETRY_BASE_MS?: number
  DISPATCH_TIMEOUT_MS?: number
  DISPATCH_LEASE_MS?: number
  ACTIVITY_HALF_LIFE_DAYS?: number
  DEFAULT_TIME_ZONE?: string
}

/** The settings with their defaults applied. */
export interface SchedulingSettings {
  webhookUrl: string | undefined
  webhookSecret: string | undefined
  dispatchEnabled: boolean
  batchSize: number
  concurrency: number
  pollMs: number
  maxAttempts: number
  retryBaseMs: number
  timeoutMs: number
  leaseMs: number
  halfLifeDays: number
  defaultTimeZone: string
}

/** Twice the longest a batch can take (every round of requests timing out), and at least 5 minutes. */
function leaseFor(c: SchedulingConfig): number {
  const rounds = Math.ceil((c.DISPATCH_BATCH_SIZE ?? 500) / (c.DISPATCH_CONCURRENCY ?? 64))
  return Math.max(300_000, 2 * rounds * (c.DISPATCH_TIMEOUT_MS ?? 10_000))
}

export function schedulingSettings(c: SchedulingConfig): SchedulingSettings {
  return {
    webhookUrl: c.DELIVERY_WEBHOOK_URL,
    webhookSecret: c.DELIVERY_WEBHOOK_SECRET,
    dispatchEnabled: c.DISPATCH_ENABLED !== 'false',
    batchSize: c.DISPATCH_BATCH_SIZE ?? 500,
    concurrency: c.DISPATCH_CONCURRENCY ?? 64,
    pollMs: c.DISPATCH_POLL_MS ?? 500,
    maxAttempts: c.DISPATCH_MAX_ATTEMPTS ?? 6,
    retryBaseMs: c.DISPATCH_RETRY_BASE_MS ?? 30_000,
    timeoutMs: c.DISPATCH_TIMEOUT_MS ?? 10_000,
    leaseMs: c.DISPATCH_LEASE_MS ?? leaseFor(c),
    halfLifeDays: c.ACTIVITY_HALF_LIFE_DAYS ?? 14,
    defaultTimeZone: c.DEFAULT_TIME_ZONE ?? 'UTC',
  }
}
