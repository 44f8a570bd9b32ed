import { ReviewStatuses } from '@attune/contracts'
import { ref } from '@attune/kit'
import { Type } from 'typebox'
import { DateTime, Text, Uuid } from './common.ts'
import { Generation, generationExample } from './generate.ts'

const Status = Type.Enum(ReviewStatuses)

export const AuditEntry = Type.Object(
  {
    action: Type.Enum(['created', 'approved', 'edited', 'rejected']),
    actor: Type.String({ description: 'The reviewer, or the API key that created the item' }),
    note: Type.Union([Type.String(), Type.Null()]),
    text: Type.Union([Type.String(), Type.Null()], { description: 'The text approved or written by the reviewer' }),
    at: DateTime,
  },
  { additionalProperties: false },
)

export const Review = Type.Object(
  {
    reviewId: Uuid,
    status: Status,
    reasons: Type.Array(Type.Enum(['publish', 'flagged'])),
    variantIndex: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'The variant approved or edited' }),
    finalText: Type.Union([Type.String(), Type.Null()], { description: 'What may be published: the approved variant or the edited text' }),
    reviewer: Type.Union([Type.String(), Type.Null()]),
    decidedAt: Type.Union([DateTime, Type.Null()]),
    createdAt: DateTime,
    generation: ref(Generation),
    audit: Type.Array(AuditEntry, { description: 'Every action on this item, oldest first' }),
  },
  {
    $id: 'Review',
    additionalProperties: false,
    examples: [
      {
        reviewId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
        status: 'edited',
        reasons: ['publish'],
        variantIndex: 0,
        finalText: 'Our climate newsletter lands every Friday.',
        reviewer: 'editor-7',
        decidedAt: '2026-11-25T09:05:00.000Z',
        createdAt: '2026-11-25T09:00:00.000Z',
        generation: generationExample,
        audit: [
          { action: 'created', actor: 'key:cms', note: 'publish', text: null, at: '2026-11-25T09:00:00.000Z' },
          { action: 'edited', actor: 'editor-7', note: 'tightened', text: 'Our climate newsletter lands every Friday.', at: '2026-11-25T09:05:00.000Z' },
        ],
      },
    ],
  },
)

export const ReviewSummary = Type.Object(
  { reviewId: Uuid, generationId: Uuid, status: Status, reasons: Type.Array(Type.Enum(['publish', 'flagged'])), createdAt: DateTime },
  { additionalProperties: false },
)

export const ReviewPage = Type.Object(
  { reviews: Type.Array(ReviewSummary), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  {
    $id: 'ReviewPage',
    additionalProperties: false,
    examples: [
      {
        reviews: [
          {
            reviewId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
            generationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
            status: 'pending',
            reasons: ['flagged'],
            createdAt: '2026-11-25T09:00:00.000Z',
          },
        ],
        nextCursor: null,
      },
    ],
  },
)

export const ReviewQuery = Type.Object(
  {
    status: Type.Enum(ReviewStatuses, { default: 'pending' }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
)

export const ReviewParams = Type.Object({ reviewId: Uuid }, { additionalProperties: false })

export const ReviewDecision = Type.Object(
  {
    action: Type.Enum(['approve', 'edit', 'reject']),
    reviewer: Type.String({ minLength: 1, maxLength: 128, pattern: '\\S', description: 'Who decided (kept in the audit log)' }),
    variantIndex: Type.Optional(Type.Integer({ minimum: 0, description: 'The variant approved (default 0)' })),
    text: Type.Optional(Text(10000, 'For `edit`: the text to publish instead; banned words are refused')),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, examples: [{ action: 'edit', reviewer: 'editor-7', text: 'Our climate newsletter lands every Friday.', note: 'tightened' }] },
)

export const Policy = Type.Object(
  {
    use: Type.Enum(['post', 'caption', 'reply', 'notification', 'ad_copy', 'chat', 'story']),
    flagThreshold: Type.Number({ minimum: 0, maximum: 1, description: 'Outputs whose moderation score reaches this wait for a reviewer' }),
    blockThreshold: Type.Number({ minimum: 0, maximum: 1, description: 'Inputs whose moderation score reaches this are refused with 422' }),
    reviewPublished: Type.Boolean({ description: 'Content meant for publishing always waits for a reviewer' }),
  },
  { $id: 'ReviewPolicy', additionalProperties: false, examples: [{ use: 'post', flagThreshold: 0.5, blockThreshold: 0.8, reviewPublished: true }] },
)
export const PolicyInput = Type.Object(
  { flagThreshold: Policy.properties.flagThreshold, blockThreshold: Policy.properties.blockThreshold, reviewPublished: Policy.properties.reviewPublished },
  { additionalProperties: false, examples: [{ flagThreshold: 0.4, blockThreshold: 0.8, reviewPublished: true }] },
)
export const PolicyParams = Type.Object({ use: Policy.properties.use }, { additionalProperties: false })

export const UsageReport = Type.Object(
  {
    apiKey: Type.String({ description: 'The key’s name' }),
    day: Type.String({ format: 'date' }),
    requests: Type.Integer({ minimum: 0 }),
    promptTokens: Type.Integer({ minimum: 0 }),
    completionTokens: Type.Integer({ minimum: 0 }),
    budget: Type.Integer({ minimum: 0, description: 'Tokens this key may spend per UTC day' }),
  },
  {
    $id: 'UsageReport',
    additionalProperties: false,
    examples: [{ apiKey: 'cms', day: '2026-11-25', requests: 42, promptTokens: 12000, completionTokens: 3400, budget: 2000000 }],
  },
)
