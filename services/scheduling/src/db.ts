import type { DeliveryChannel } from '@attune/contracts'
import type { KitTables, UserSegmentsTable } from '@attune/kit'
import type { ColumnType } from 'kysely'

/** A user's activity on one channel (or `all`): decayed engagement weights per hour of week, local time. */
export interface ActivityModelsTable {
  userId: string
  channel: string
  /** 168 little-endian float32 bins, Monday 00:00 first: engagement weights decayed to `updatedAt` (× 2^(−age / half-life)). */
  bins: Buffer
  events: number
  firstAt: Date
  lastAt: Date
  updatedAt: Date
}

/** The same bins summed over an audience (`population` or `segment:<id>`), in forward-decay units (see forward-decay.ts). */
export interface AudienceActivityTable {
  scope: string
  channel: string
  bins: number[]
  events: number
  updatedAt: Date
}

export type ChannelOptIns = Partial<Record<string, boolean>>
export type FrequencyCaps = Partial<Record<string, { max: number; per: 'day' | 'week' }>>

export interface UserPreferencesTable {
  userId: string
  /** The quiet-hours time zone, the only time zone preferences carry; null = DEFAULT_TIME_ZONE. */
  timeZone: string | null
  quietStart: string | null
  quietEnd: string | null
  channels: ColumnType<ChannelOptIns, string, string>
  frequencyCaps: ColumnType<FrequencyCaps, string, string>
  nonPersonalized: boolean
  updatedAt: Date
}

export interface UserConsentsTable {
  userId: string
  /** State per purpose, e.g. `{ email: 'granted', push: 'revoked' }`. */
  states: ColumnType<Record<string, string>, string, string>
  asOf: Date
}

export type CampaignStatus = 'scheduled' | 'cancelled'
export type Strategy = 'fixed' | 'best_time' | 'audience_best'
export type DeliveryStatus = 'scheduled' | 'sent' | 'failed' | 'skipped' | 'cancelled'
export type DeliveryGroup = 'personalized' | 'holdout'

export interface CampaignContent {
  text?: string
  title?: string
  generatedContentId?: string
  itemId?: string
}
export interface CampaignAudience {
  userIds?: string[]
  segmentId?: string
}

export interface CampaignsTable {
  campaignId: string
  name: string
  channel: DeliveryChannel
  content: ColumnType<CampaignContent, string, string>
  audience: ColumnType<CampaignAudience, string, string>
  strategy: Strategy
  sendAt: Date | null
  windowStart: Date | null
  windowEnd: Date | null
  holdoutShare: number
  webhookUrl: string
  status: CampaignStatus
  createdAt: Date
  updatedAt: Date
}

/** What a guard did to a delivery: moved it (`from`/`to`) or skipped it. */
export interface DeliveryNote {
  guard: 'quiet_hours' | 'frequency_cap' | 'opt_in' | 'consent' | 'non_personalized' | 'window'
  action: 'moved' | 'skipped' | 'fallback'
  detail: string
}

export interface DeliveriesTable {
  deliveryId: string
  campaignId: string
  userId: string
  channel: DeliveryChannel
  grp: DeliveryGroup
  status: DeliveryStatus
  /** When it goes out (after guards). */
  sendAt: Date
  /** What the strategy chose before guards. */
  preferredAt: Date
  /** When the dispatcher may next pick it up: sendAt, then each retry's time. */
  dueAt: Date
  reason: string
  notes: ColumnType<DeliveryNote[], string, string>
  attempts: number
  lastError: string | null
  sentAt: Date | null
  engagedAt: Date | null
  /** While a dispatcher holds it (sending now): when its lease ends and another may claim it. */
  claimedUntil: ColumnType<Date | null, Date | null | undefined, Date | null>
  updatedAt: Date
}

/** Tables in the `scheduling` schema. */
export interface SchedulingDb extends KitTables {
  activityModels: ActivityModelsTable
  audienceActivity: AudienceActivityTable
  userPreferences: UserPreferencesTable
  userConsents: UserConsentsTable
  userSegments: UserSegmentsTable
  campaigns: CampaignsTable
  deliveries: DeliveriesTable
}
