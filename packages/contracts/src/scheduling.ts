import { type Static, Type } from 'typebox'
import { EventEnvelope, ExternalId, Uuid } from './envelope.ts'

/** Channels the scheduling service delivers on: the preference channels plus public social posts. */
export const DeliveryChannels = ['email', 'push', 'sms', 'in_app', 'webhook', 'social_post'] as const
export type DeliveryChannel = (typeof DeliveryChannels)[number]

/** Event types of scheduling beyond `delivery.sent` (in `EventTypes`): a delivery given up on after its retries. */
export const DeliveryEventTypes = {
  deliveryFailed: { type: 'delivery.failed', topic: 'deliveries', schemaVersion: 1 },
} as const

const fields = {
  deliveryId: Type.String({ format: 'uuid', description: 'The delivery; also the idempotency key sent with the webhook' }),
  campaignId: Type.String({ format: 'uuid' }),
  userId: ExternalId,
  channel: Type.Enum(DeliveryChannels),
  group: Type.Enum(['personalized', 'holdout'], { description: '`holdout`: sent at a random time in the window, to measure uplift' }),
  scheduledFor: Type.String({ format: 'date-time', description: 'When it was due' }),
  attempts: Type.Integer({ minimum: 1, description: 'Webhook attempts made' }),
}

/** `data` of `delivery.sent` on `attune.deliveries`: the webhook accepted the delivery. */
export const DeliverySentData = Type.Object(
  { ...fields, sentAt: Type.String({ format: 'date-time' }) },
  { $id: 'DeliverySentData', additionalProperties: false },
)
export type DeliverySentData = Static<typeof DeliverySentData>
export const DeliverySent = EventEnvelope(DeliverySentData, 'DeliverySent')

/** `data` of `delivery.failed` on `attune.deliveries`: every retry failed; `error` is the last one. */
export const DeliveryFailedData = Type.Object(
  { ...fields, failedAt: Type.String({ format: 'date-time' }), error: Type.String({ maxLength: 2000 }) },
  { $id: 'DeliveryFailedData', additionalProperties: false },
)
export type DeliveryFailedData = Static<typeof DeliveryFailedData>
export const DeliveryFailed = EventEnvelope(DeliveryFailedData, 'DeliveryFailed')

/** What a delivery webhook receives (signed; see the scheduling docs). */
export const DeliveryWebhookPayload = Type.Object(
  {
    deliveryId: Uuid,
    campaignId: Uuid,
    userId: ExternalId,
    channel: Type.Enum(DeliveryChannels),
    scheduledFor: Type.String({ format: 'date-time' }),
    content: Type.Record(Type.String(), Type.Unknown(), { description: 'The campaign content: text, or a generated-content or catalog-item reference' }),
  },
  { $id: 'DeliveryWebhookPayload', additionalProperties: false },
)
export type DeliveryWebhookPayload = Static<typeof DeliveryWebhookPayload>
