import { ExternalId } from '@attune/contracts'
import { Type } from 'typebox'

export const MergeRequest = Type.Object(
  { anonymousId: ExternalId, userId: ExternalId },
  { additionalProperties: false, examples: [{ anonymousId: 'anon-7f3', userId: 'user-42' }] },
)

export const MergeResult = Type.Object(
  {
    anonymousId: Type.String(),
    userId: Type.String(),
    status: Type.Union([Type.Literal('merged'), Type.Literal('already-merged')]),
    eventsMoved: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, examples: [{ anonymousId: 'anon-7f3', userId: 'user-42', status: 'merged', eventsMoved: 12 }] },
)

export const MergeLogQuery = Type.Object(
  {
    userId: Type.Optional(ExternalId),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'From the previous page' })),
  },
  { additionalProperties: false },
)

const MergeLogEntry = Type.Object(
  {
    anonymousId: Type.String(),
    userId: Type.String(),
    source: Type.Union([Type.Literal('api'), Type.Literal('identify')]),
    eventsMoved: Type.Integer(),
    mergedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)

export const MergeLogPage = Type.Object(
  { items: Type.Array(MergeLogEntry), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  {
    additionalProperties: false,
    examples: [
      { items: [{ anonymousId: 'anon-7f3', userId: 'user-42', source: 'identify', eventsMoved: 12, mergedAt: '2026-11-25T09:00:00.000Z' }], nextCursor: null },
    ],
  },
)
