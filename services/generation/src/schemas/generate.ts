import { ExternalId, GenerationUses, ReviewStatuses } from '@attune/contracts'
import { type Static, Type } from 'typebox'
import { DateTime, FeatureUseSchema, Provider, Redactions, StyleOverrides, Text, UsageSchema, Uuid } from './common.ts'

export const Use = Type.Enum(GenerationUses, { description: 'What to write' })

export const GenerateRequest = Type.Object(
  {
    use: Use,
    userId: Type.Optional(ExternalId),
    voiceId: Type.Optional(Uuid),
    brief: Type.Object(
      {
        topic: Text(500, 'What the text is about'),
        keyPoints: Type.Array(Text(300), { maxItems: 10, default: [], description: 'Facts to include' }),
        replyTo: Type.Optional(Text(5000, 'The comment being replied to (required for `reply`)')),
      },
      { additionalProperties: false },
    ),
    n: Type.Integer({ minimum: 1, maximum: 5, default: 1, description: 'Variants, for A/B tests' }),
    publish: Type.Boolean({ default: false, description: 'Meant for publishing: waits in the review queue when the use’s policy says so' }),
    style: Type.Optional(StyleOverrides),
    cache: Type.Boolean({ default: true, description: 'Answer an identical prompt from the cache' }),
    temperature: Type.Number({ minimum: 0, maximum: 2, default: 0.7 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        use: 'post',
        userId: 'user-42',
        voiceId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        brief: { topic: 'our new climate newsletter', keyPoints: ['every Friday', 'free for subscribers'] },
        n: 2,
        publish: true,
      },
    ],
  },
)
export type GenerateRequest = Static<typeof GenerateRequest>

export const Variant = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    text: Type.String(),
    moderation: Type.Object(
      {
        score: Type.Number({ minimum: 0, maximum: 1 }),
        flagged: Type.Boolean(),
        categories: Type.Array(Type.String(), { description: 'Categories at or over the threshold' }),
      },
      { additionalProperties: false },
    ),
    bannedRedacted: Type.Array(Type.String(), { description: 'Banned words the model used and that were redacted' }),
    regenerated: Type.Boolean({ description: 'The first answer used a banned word and was asked for again' }),
  },
  { additionalProperties: false },
)

export const Why = Type.Object(
  {
    template: Type.Object({ id: Type.String(), version: Type.Integer() }, { additionalProperties: false }),
    voice: Type.Union([Type.Object({ voiceId: Uuid, name: Type.String(), version: Type.Integer() }, { additionalProperties: false }), Type.Null()]),
    features: Type.Array(FeatureUseSchema, { description: 'Every profile feature that shaped the prompt, and where it came from' }),
    redactions: Redactions,
    moderation: Type.Object(
      { source: Type.Enum(['provider', 'local']), flagThreshold: Type.Number(), blockThreshold: Type.Number() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'What shaped this output' },
)

export const ReviewRef = Type.Object(
  { reviewId: Uuid, status: Type.Enum(ReviewStatuses), reasons: Type.Array(Type.Enum(['publish', 'flagged'])) },
  { additionalProperties: false },
)

export const generationExample = {
  generationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
  use: 'post',
  userId: 'user-42',
  provider: 'offline',
  model: 'attune-offline-templates-1',
  cached: false,
  variants: [
    {
      index: 0,
      text: '[offline] Hey! Our new climate newsletter. Every Friday.',
      moderation: { score: 0, flagged: false, categories: [] },
      bannedRedacted: [],
      regenerated: false,
    },
  ],
  review: { reviewId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43', status: 'pending', reasons: ['publish'] },
  why: {
    template: { id: 'post', version: 2 },
    voice: null,
    features: [{ name: 'formality', value: 'casual', source: 'preferences' }],
    redactions: {},
    moderation: { source: 'local', flagThreshold: 0.5, blockThreshold: 0.8 },
  },
  usage: { promptTokens: 120, completionTokens: 30 },
  createdAt: '2026-11-25T09:00:00.000Z',
}

export const Generation = Type.Object(
  {
    generationId: Uuid,
    use: Use,
    userId: Type.Union([ExternalId, Type.Null()]),
    provider: Provider,
    model: Type.String(),
    cached: Type.Boolean(),
    variants: Type.Array(Variant),
    review: Type.Union([ReviewRef, Type.Null()], { description: 'Null when nothing needs a reviewer' }),
    why: Why,
    usage: UsageSchema,
    createdAt: DateTime,
  },
  { $id: 'Generation', additionalProperties: false, examples: [generationExample] },
)
export type Generation = Static<typeof Generation>

export const GenerationParams = Type.Object({ generationId: Uuid }, { additionalProperties: false })
