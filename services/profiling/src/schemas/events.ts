import { Interaction } from '@attune/contracts'
import { ref } from '@attune/kit'
import { type Static, Type } from 'typebox'

export const MAX_EVENTS_PER_BATCH = 500

export const EventBatch = Type.Object(
  {
    events: Type.Array(ref(Interaction), {
      minItems: 1,
      maxItems: MAX_EVENTS_PER_BATCH,
      description: `1 to ${MAX_EVENTS_PER_BATCH} events; each id is an idempotency key`,
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        events: [
          { id: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10', type: 'view', userId: 'user-42', itemId: 'article-7', time: '2026-11-25T09:00:00Z' },
          { id: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a11', type: 'dwell', userId: 'user-42', itemId: 'article-7', seconds: 48 },
        ],
      },
    ],
  },
)
export type EventBatch = Static<typeof EventBatch>

export const EventBatchAccepted = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'Events stored now' }),
    duplicates: Type.Array(Type.String(), { description: 'Ids already stored (or repeated in this batch): not stored again' }),
    aggregated: Type.Optional(Type.Integer({ minimum: 1, description: 'Of the accepted, how many were kept only in aggregate (no analytics consent)' })),
    dropped: Type.Optional(Type.Array(Type.String(), { description: 'Ids dropped for lack of analytics consent (ANALYTICS_WITHOUT_CONSENT=drop)' })),
    suppressed: Type.Optional(
      Type.Array(Type.String(), { description: 'Ids refused because their user or anonymous id is suppressed: not stored, not published' }),
    ),
    erased: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Ids not stored because the erasure of their user (or anonymous id) ran while they were in flight: they were received before it was asked for, so they are erased data',
      }),
    ),
  },
  { additionalProperties: false, examples: [{ accepted: 1, duplicates: ['0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a11'] }] },
)
export type EventBatchAccepted = Static<typeof EventBatchAccepted>
