import { type Static, Type } from 'typebox'
import { DateTime, Uuid } from './common.ts'

const SegmentId = Type.String({ format: 'uuid', description: 'A profiling segment', examples: ['0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c60'] })

export const CopyVariantRequest = Type.Object(
  {
    segmentId: SegmentId,
    audience: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '\\S',
        description: 'Who the segment is, in a few words: part of the brief, and shown in “why this ad”',
        examples: ['engaged sport readers'],
      }),
    ),
    n: Type.Integer({ minimum: 1, maximum: 5, default: 3, description: 'Variants to write (the reviewer approves one)' }),
    voiceId: Type.Optional(Type.String({ format: 'uuid', description: 'A brand voice of the generation service' })),
  },
  {
    $id: 'CopyVariantRequest',
    additionalProperties: false,
    examples: [{ segmentId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c60', audience: 'engaged sport readers', n: 3 }],
  },
)
export type CopyVariantRequest = Static<typeof CopyVariantRequest>

export const CopyStatus = Type.Enum(['pending', 'approved', 'rejected'], {
  description: 'pending: waiting in the generation review queue; approved: may replace the ad’s body for the segment; rejected: never used',
})

export const CopyVariant = Type.Object(
  {
    variantId: Uuid,
    adId: Uuid,
    segmentId: SegmentId,
    audience: Type.Union([Type.String(), Type.Null()]),
    generationId: Uuid,
    reviewId: Type.Union([Uuid, Type.Null()], { description: 'The item in the generation review queue' }),
    index: Type.Integer({ minimum: 0, description: 'The variant’s index in its generation' }),
    text: Type.String({ description: 'The body text (a reviewer’s edit once edited)' }),
    status: CopyStatus,
    note: Type.Union([Type.String(), Type.Null()], { description: 'Why it was rejected, or that a reviewer edited it' }),
    moderation: Type.Object({ score: Type.Number({ minimum: 0, maximum: 1 }), flagged: Type.Boolean() }, { additionalProperties: false }),
    provider: Type.String({ description: 'Generation’s provider (`offline`: its built-in templates)' }),
    decidedAt: Type.Union([DateTime, Type.Null()]),
    createdAt: DateTime,
  },
  {
    $id: 'CopyVariant',
    additionalProperties: false,
    examples: [
      {
        variantId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c61',
        adId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
        segmentId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c60',
        audience: 'engaged sport readers',
        generationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c62',
        reviewId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c63',
        index: 0,
        text: 'Boots for every trail, and for every match day too. Waterproof, light, 20% off this week.',
        status: 'pending',
        note: null,
        moderation: { score: 0, flagged: false },
        provider: 'openai',
        decidedAt: null,
        createdAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)
export type CopyVariant = Static<typeof CopyVariant>

export const CopyVariantList = Type.Object(
  { variants: Type.Array(CopyVariant, { description: 'Newest first' }) },
  { $id: 'CopyVariantList', additionalProperties: false, examples: [{ variants: (CopyVariant as { examples?: unknown[] }).examples }] },
)
export type CopyVariantList = Static<typeof CopyVariantList>

export const CopyVariantQuery = Type.Object(
  {
    segmentId: Type.Optional(SegmentId),
    status: Type.Optional(CopyStatus),
  },
  { additionalProperties: false },
)

export const AdParams = Type.Object({ adId: Uuid }, { additionalProperties: false })
