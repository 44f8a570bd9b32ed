import { problemRef, problemResponses } from '@attune/kit'
import { type Static, Type } from 'typebox'

/** The kit's problem responses plus the provider failures every generating route can give. */
export const generatingResponses = { ...problemResponses, 422: problemRef, 502: problemRef, 503: problemRef }

export const Uuid = Type.String({ format: 'uuid', examples: ['0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42'] })
export const DateTime = Type.String({ format: 'date-time' })

/** Free text a user or editor wrote: not blank, bounded. */
export const Text = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) })

export const UsageSchema = Type.Object(
  { promptTokens: Type.Integer({ minimum: 0 }), completionTokens: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false, description: 'Tokens the provider reported (estimated for the offline provider); zero when answered from the cache' },
)

export const Provider = Type.Union([Type.Literal('openai'), Type.Literal('offline')], { description: '`offline`: the built-in template provider (no model)' })

export const StyleOverrides = Type.Object(
  {
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,8}$', examples: ['en'] })),
    formality: Type.Optional(Type.Enum(['casual', 'neutral', 'formal'])),
    length: Type.Optional(Type.Enum(['short', 'medium', 'long'])),
    emoji: Type.Optional(Type.Enum(['none', 'some', 'lots'])),
    readingLevel: Type.Optional(Type.Enum(['simple', 'standard', 'advanced'])),
    mood: Type.Optional(Type.Enum(['negative', 'neutral', 'positive'])),
  },
  { additionalProperties: false, description: 'Overrides the user’s preferences for this request' },
)
export type StyleOverrides = Static<typeof StyleOverrides>

export const FeatureUseSchema = Type.Object(
  {
    name: Type.Enum(['language', 'formality', 'length', 'emoji', 'readingLevel', 'mood']),
    value: Type.String(),
    source: Type.Enum(['preferences', 'sentiment', 'request', 'default'], { description: 'Where the value came from' }),
  },
  { additionalProperties: false },
)

export const Redactions = Type.Record(Type.String(), Type.Integer({ minimum: 1 }), {
  description: 'Personal data replaced before the text left for the provider, by kind (email, phone, card, iban, ip, ssn)',
  examples: [{ email: 1 }],
})
