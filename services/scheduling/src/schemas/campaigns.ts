import { DeliveryChannels, ExternalId } from '@attune/contracts'
import { type Static, Type } from 'typebox'

const DateTime = Type.String({ format: 'date-time' })
const Id = Type.String({ format: 'uuid', examples: ['0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10'] })

const Content = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000, description: 'The message itself' })),
    generatedContentId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'A text made by the generation service' })),
    itemId: Type.Optional(ExternalId),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Text, or a reference to generated content or a catalog item (at least one of text, generatedContentId, itemId)',
  },
)

const Audience = Type.Object(
  {
    userIds: Type.Optional(Type.Array(ExternalId, { minItems: 1, maxItems: 10_000, uniqueItems: true, description: 'An explicit list of users' })),
    segmentId: Type.Optional(Type.String({ format: 'uuid', description: 'A profiling segment: its members as of planning' })),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Either userIds or segmentId' },
)

const Window = Type.Object(
  {
    start: Type.Optional(Type.String({ format: 'date-time', description: 'Default now; a start in the past counts from now' })),
    end: Type.String({ format: 'date-time', description: 'In the future, at most 14 days after the start' }),
  },
  { additionalProperties: false },
)

const Strategy = Type.Enum(['fixed', 'best_time', 'audience_best'], {
  description:
    '`fixed`: everyone at sendAt; `best_time`: each user at their best hour in the window; `audience_best`: everyone at the audience’s best hour in the window',
})

export const CampaignInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    channel: Type.Enum(DeliveryChannels),
    content: Content,
    audience: Audience,
    strategy: Strategy,
    sendAt: Type.Optional(Type.String({ format: 'date-time', description: 'For `fixed`: when (not in the past)' })),
    window: Type.Optional(Window),
    holdoutShare: Type.Number({
      minimum: 0,
      maximum: 0.5,
      default: 0,
      description: 'Share of recipients sent at a random time in the window instead, to measure uplift (window strategies only)',
    }),
    webhookUrl: Type.Optional(
      Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'Where deliveries are POSTed; default DELIVERY_WEBHOOK_URL' }),
    ),
  },
  {
    $id: 'CampaignInput',
    additionalProperties: false,
    examples: [
      {
        name: 'Morning briefing',
        channel: 'push',
        content: { title: 'Your briefing', itemId: 'article-123' },
        audience: { segmentId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10' },
        strategy: 'best_time',
        window: { end: '2026-11-26T12:00:00Z' },
        holdoutShare: 0.1,
      },
    ],
  },
)
export type CampaignInput = Static<typeof CampaignInput>

const Counts = Type.Object(
  {
    total: Type.Integer({ minimum: 0 }),
    scheduled: Type.Integer({ minimum: 0 }),
    sent: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    skipped: Type.Integer({ minimum: 0 }),
    cancelled: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, description: 'Deliveries per status' },
)

export const Campaign = Type.Object(
  {
    campaignId: Id,
    name: Type.String(),
    channel: Type.Enum(DeliveryChannels),
    content: Content,
    audience: Audience,
    strategy: Strategy,
    sendAt: Type.Union([DateTime, Type.Null()]),
    window: Type.Union([Type.Object({ start: DateTime, end: DateTime }, { additionalProperties: false }), Type.Null()]),
    holdoutShare: Type.Number(),
    webhookUrl: Type.String(),
    status: Type.Enum(['scheduled', 'cancelled']),
    deliveries: Counts,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  {
    $id: 'Campaign',
    additionalProperties: false,
    examples: [
      {
        campaignId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
        name: 'Morning briefing',
        channel: 'push',
        content: { title: 'Your briefing', itemId: 'article-123' },
        audience: { segmentId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a11' },
        strategy: 'best_time',
        sendAt: null,
        window: { start: '2026-11-25T12:00:00.000Z', end: '2026-11-26T12:00:00.000Z' },
        holdoutShare: 0.1,
        webhookUrl: 'https://push.example.com/attune',
        status: 'scheduled',
        deliveries: { total: 1200, scheduled: 1150, sent: 0, failed: 0, skipped: 50, cancelled: 0 },
        createdAt: '2026-11-25T12:00:00.000Z',
        updatedAt: '2026-11-25T12:00:00.000Z',
      },
    ],
  },
)
export type Campaign = Static<typeof Campaign>

export const CampaignParams = Type.Object({ campaignId: Id }, { additionalProperties: false })
export const DeliveryParams = Type.Object({ deliveryId: Id }, { additionalProperties: false })

export const RescheduleInput = Type.Object(
  {
    sendAt: Type.Optional(Type.String({ format: 'date-time', description: 'For a `fixed` campaign: the new time' })),
    window: Type.Optional(Window),
  },
  {
    $id: 'RescheduleInput',
    additionalProperties: false,
    minProperties: 1,
    description: 'The new time (fixed) or window (the others); deliveries not sent yet are planned again with every guard',
    examples: [{ window: { start: '2026-11-26T06:00:00Z', end: '2026-11-27T06:00:00Z' } }],
  },
)
export type RescheduleInput = Static<typeof RescheduleInput>

const Note = Type.Object(
  {
    guard: Type.Enum(['quiet_hours', 'frequency_cap', 'opt_in', 'consent', 'non_personalized', 'window']),
    action: Type.Enum(['moved', 'skipped', 'fallback']),
    detail: Type.String(),
  },
  { additionalProperties: false },
)

const deliveryExample = {
  deliveryId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a12',
  campaignId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
  userId: 'user-42',
  channel: 'push',
  group: 'personalized',
  status: 'scheduled',
  sendAt: '2026-11-25T20:59:00.000Z',
  preferredAt: '2026-11-25T21:00:00.000Z',
  reason: 'most push engagement on weekdays 22:00–23:00, 42 events in 90 days',
  notes: [{ guard: 'quiet_hours', action: 'moved', detail: 'moved from 2026-11-25T21:00:00.000Z (quiet hours) to 2026-11-25T20:59:00.000Z' }],
  attempts: 0,
  lastError: null,
  sentAt: null,
  engagedAt: null,
}

export const Delivery = Type.Object(
  {
    deliveryId: Id,
    campaignId: Id,
    userId: ExternalId,
    channel: Type.Enum(DeliveryChannels),
    group: Type.Enum(['personalized', 'holdout']),
    status: Type.Enum(['scheduled', 'sent', 'failed', 'skipped', 'cancelled']),
    sendAt: Type.String({ format: 'date-time', description: 'When it goes (or went) out, after the guards' }),
    preferredAt: Type.String({ format: 'date-time', description: 'What the strategy chose before the guards' }),
    reason: Type.String({ description: 'Why this time' }),
    notes: Type.Array(Note, { description: 'What each guard did: moved, skipped, or fell back' }),
    attempts: Type.Integer({ minimum: 0 }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    sentAt: Type.Union([DateTime, Type.Null()]),
    engagedAt: Type.Union([DateTime, Type.Null()], { description: 'First engagement of the user within 24 h of the send' }),
  },
  {
    $id: 'Delivery',
    additionalProperties: false,
    examples: [deliveryExample],
  },
)
export type Delivery = Static<typeof Delivery>

export const DeliveriesQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['scheduled', 'sent', 'failed', 'skipped', 'cancelled'])),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    after: Type.Optional(Type.String({ format: 'uuid', description: 'The last deliveryId of the previous page' })),
  },
  { additionalProperties: false },
)
export type DeliveriesQuery = Static<typeof DeliveriesQuery>

export const DeliveryPage = Type.Object(
  {
    deliveries: Type.Array(Delivery),
    next: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Pass as `after` for the next page; null at the end' }),
  },
  {
    $id: 'DeliveryPage',
    additionalProperties: false,
    examples: [{ deliveries: [deliveryExample], next: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a12' }],
  },
)

const GroupReport = Type.Object(
  { sent: Type.Integer({ minimum: 0 }), engaged: Type.Integer({ minimum: 0 }), rate: Type.Union([Type.Number(), Type.Null()]) },
  { additionalProperties: false },
)

export const CampaignReport = Type.Object(
  {
    campaignId: Id,
    deliveries: Counts,
    personalized: GroupReport,
    holdout: GroupReport,
    uplift: Type.Object(
      {
        absolute: Type.Union([Type.Number(), Type.Null()], { description: 'Engagement rate, personalized minus holdout' }),
        relative: Type.Union([Type.Number(), Type.Null()], { description: 'Absolute uplift over the holdout rate' }),
      },
      { additionalProperties: false },
    ),
    attributionWindowHours: Type.Integer({ description: 'An engagement counts for a delivery sent at most this long before' }),
    guards: Type.Array(
      Type.Object({ guard: Type.String(), action: Type.String(), deliveries: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
      { description: 'How many deliveries each guard moved, skipped or sent at the audience time' },
    ),
  },
  {
    $id: 'CampaignReport',
    additionalProperties: false,
    examples: [
      {
        campaignId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
        deliveries: { total: 1000, scheduled: 0, sent: 950, failed: 0, skipped: 50, cancelled: 0 },
        personalized: { sent: 855, engaged: 171, rate: 0.2 },
        holdout: { sent: 95, engaged: 12, rate: 0.1263 },
        uplift: { absolute: 0.0737, relative: 0.5833 },
        attributionWindowHours: 24,
        guards: [{ guard: 'quiet_hours', action: 'moved', deliveries: 120 }],
      },
    ],
  },
)
