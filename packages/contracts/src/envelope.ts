import { type Static, type TSchema, Type } from 'typebox'

/** UUID of any version; event ids minted by Attune are UUIDv7 so they sort by time. */
export const Uuid = Type.String({
  format: 'uuid',
  description: 'UUID (v7 recommended: sorts by time to the millisecond)',
  examples: ['0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10'],
})

/** Identifier chosen by the customer: users, items, authors … */
export const ExternalId = Type.String({
  minLength: 1,
  maxLength: 128,
  // No NUL and no unpaired UTF-16 surrogate either: Postgres text and jsonb cannot hold them.
  pattern: '^[^\\s\\u0000\\ud800-\\udfff]+$',
  description: 'Identifier chosen by the caller: 1-128 characters, no whitespace',
  examples: ['user-42'],
})

export const EventEnvelopeFields = {
  id: Uuid,
  type: Type.String({ minLength: 1, maxLength: 100, description: 'Event type, e.g. interaction.recorded', examples: ['interaction.recorded'] }),
  source: Type.String({ minLength: 1, maxLength: 100, description: 'Service that produced the event', examples: ['profiling'] }),
  time: Type.String({ format: 'date-time', description: 'When the fact happened (RFC 3339)' }),
  subject: Type.String({ minLength: 1, maxLength: 256, description: 'Kafka key: user id, or item/campaign id for catalog topics' }),
  schemaVersion: Type.Integer({ minimum: 1, description: 'Version of the data schema for this type' }),
}

/** CloudEvents-shaped envelope carried by every Attune topic; `data` is typed per event type. */
export function EventEnvelope<T extends TSchema>(data: T, id = 'EventEnvelope') {
  return Type.Object({ ...EventEnvelopeFields, data }, { $id: id, additionalProperties: false })
}

export const AnyEventEnvelope = EventEnvelope(Type.Unknown(), 'AnyEventEnvelope')
export type AnyEvent = Static<typeof AnyEventEnvelope>
export type Event<T> = Omit<AnyEvent, 'data'> & { data: T }
