import { ConsentRecord, CursorPage, CursorQuery, ExternalId } from '@attune/contracts'
import { type Static, Type } from 'typebox'

export const ConsentsParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })

export const ConsentHistoryQuery = Type.Object(
  { limit: CursorQuery.properties.limit, cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'From the previous page' })) },
  { additionalProperties: false },
)
export type ConsentHistoryQuery = Static<typeof ConsentHistoryQuery>

export const ConsentHistoryPage = CursorPage(ConsentRecord, 'ConsentHistoryPage', [
  {
    items: [
      {
        purpose: 'personalization',
        status: 'revoked',
        at: '2026-12-01T18:30:00.000Z',
        expiresAt: null,
        source: 'settings-page',
        recordedAt: '2026-12-01T18:30:00.210Z',
      },
      {
        purpose: 'personalization',
        status: 'granted',
        at: '2026-11-25T09:00:00.000Z',
        expiresAt: '2027-11-25T09:00:00.000Z',
        source: 'cookie-banner',
        recordedAt: '2026-11-25T09:00:00.120Z',
      },
    ],
    nextCursor: 'MTc2NDA2MTIwMDAwMC4xMg',
  },
])
