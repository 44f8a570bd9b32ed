import { type Static, type TObject, type TProperties, Type } from 'typebox'
import { EventEnvelope, ExternalId } from './envelope.ts'

/** Every kind of interaction the collector accepts. */
export const InteractionTypes = [
  'view',
  'click',
  'like',
  'share',
  'comment',
  'dwell',
  'follow',
  'unfollow',
  'hide',
  'not_interested',
  'rating',
  'purchase',
  'ad_impression',
  'ad_click',
  'notification_open',
  'identify',
] as const
export type InteractionType = (typeof InteractionTypes)[number]

const InteractionContext = Type.Object(
  {
    url: Type.Optional(Type.String({ format: 'uri', maxLength: 2048, description: 'Page the interaction happened on' })),
    referrer: Type.Optional(Type.String({ maxLength: 2048 })),
    locale: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$', maxLength: 35, examples: ['en-GB'] })),
    channel: Type.Optional(Type.String({ maxLength: 32, examples: ['web'] })),
    device: Type.Optional(Type.String({ maxLength: 32, examples: ['mobile'] })),
  },
  { additionalProperties: false, description: 'Where the interaction happened' },
)

const Properties = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean()]), {
  maxProperties: 50,
  description: 'Free properties (up to 50 scalar values)',
})

const common = {
  id: Type.String({ format: 'uuid', description: 'Client-generated UUID: the idempotency key of this event' }),
  userId: Type.Optional(ExternalId),
  anonymousId: Type.Optional(ExternalId),
  time: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened; defaults to when it was received' })),
  context: Type.Optional(InteractionContext),
  properties: Type.Optional(Properties),
}

const itemId = ExternalId
const recommendationId = Type.Optional(
  Type.String({ minLength: 1, maxLength: 128, description: 'Id of the recommendation response that showed the item, for attribution' }),
)

function variant<K extends InteractionType, P extends TProperties>(type: K, props: P, description: string) {
  return Type.Object({ type: Type.Literal(type), ...common, ...props }, { additionalProperties: false, description, title: type })
}

const variants = [
  variant('view', { itemId, recommendationId }, 'The user saw an item'),
  variant('click', { itemId, recommendationId }, 'The user opened an item'),
  variant('like', { itemId, recommendationId }, 'The user liked an item'),
  variant('share', { itemId, recommendationId, channel: Type.Optional(Type.String({ maxLength: 32 })) }, 'The user shared an item'),
  variant('comment', { itemId, recommendationId, text: Type.String({ minLength: 1, maxLength: 5000 }) }, 'The user commented on an item'),
  variant('dwell', { itemId, recommendationId, seconds: Type.Number({ exclusiveMinimum: 0, maximum: 86400 }) }, 'Time spent on an item'),
  variant('follow', { targetType: Type.Union([Type.Literal('author'), Type.Literal('user')]), targetId: ExternalId }, 'The user followed an author or user'),
  variant(
    'unfollow',
    { targetType: Type.Union([Type.Literal('author'), Type.Literal('user')]), targetId: ExternalId },
    'The user unfollowed an author or user',
  ),
  variant('hide', { itemId, recommendationId }, 'The user hid an item'),
  variant('not_interested', { itemId, recommendationId }, 'The user marked an item as not interesting'),
  variant('rating', { itemId, recommendationId, value: Type.Number({ minimum: 1, maximum: 5 }) }, 'An explicit rating from 1 to 5'),
  variant('purchase', { itemId, recommendationId, amount: Type.Optional(Type.Number({ minimum: 0 })) }, 'The user bought or subscribed to an item'),
  variant(
    'ad_impression',
    { adId: ExternalId, decisionId: Type.Optional(Type.String({ maxLength: 128 })), placementId: Type.Optional(ExternalId) },
    'An ad was shown',
  ),
  variant(
    'ad_click',
    { adId: ExternalId, decisionId: Type.Optional(Type.String({ maxLength: 128 })), placementId: Type.Optional(ExternalId) },
    'An ad was clicked',
  ),
  variant('notification_open', { notificationId: ExternalId }, 'The user opened a notification'),
  // `common` makes both ids optional; identify needs both, which the collector checks.
  variant('identify', {}, 'An anonymous visitor is now known as userId: merges the anonymous history into the user'),
] as const

type Variant = (typeof variants)[number]

/**
 * One interaction, discriminated by `type`. Emitted as `oneOf` + `discriminator` so that a
 * validator reports errors against the matching variant only (fastify's ajv runs with
 * `discriminator: true`). `type: 'object'` too: ajv's discriminator lets anything but an object
 * through (a `null` event passed validation and failed in the collector as a 500).
 */
export const Interaction = Type.Unsafe<Static<Variant>>({
  $id: 'Interaction',
  type: 'object',
  oneOf: variants as unknown as TObject[],
  discriminator: { propertyName: 'type' },
  description: 'An interaction event; fields depend on `type`',
})
export type Interaction = Static<Variant>

/** Interaction types that are about a catalog item (carry `itemId`). */
export type ItemInteraction = Extract<Interaction, { itemId: string }>
export function isItemInteraction(i: Interaction): i is ItemInteraction {
  return 'itemId' in i && typeof i.itemId === 'string'
}

/** `data` of an `interaction.recorded` event: the interaction as collected (its `time` filled in) and when it arrived. */
export const InteractionRecordedData = Type.Object(
  {
    interaction: Interaction,
    receivedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'InteractionRecordedData', additionalProperties: false },
)
export type InteractionRecordedData = Static<typeof InteractionRecordedData>

/** The envelope of `interaction.recorded` on `attune.interactions`; subject = user id (or anonymous id). */
export const InteractionRecorded = EventEnvelope(InteractionRecordedData, 'InteractionRecorded')
export type InteractionRecorded = Static<typeof InteractionRecorded>
