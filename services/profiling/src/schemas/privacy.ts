import { ExternalId, Uuid } from '@attune/contracts'
import { type Static, Type } from 'typebox'

export const PrivacyUserParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })
export type PrivacyUserParams = Static<typeof PrivacyUserParams>

export const PrivacyRequestParams = Type.Object({ id: Uuid }, { additionalProperties: false })
export type PrivacyRequestParams = Static<typeof PrivacyRequestParams>

export const UserExport = Type.Object(
  {
    userId: ExternalId,
    exportedAt: Type.String({ format: 'date-time' }),
    services: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'Each service’s part, by service name: profiling’s own, then what each service in PRIVACY_EXPORT_SOURCES answered at its GET /v1/privacy/users/{userId}/data (its `data`)',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        userId: 'user-42',
        exportedAt: '2026-11-25T09:00:00.000Z',
        services: {
          profiling: { profile: { userId: 'user-42' }, events: [] },
          recommendation: { userId: 'user-42', interactions: [], follows: [] },
        },
      },
    ],
  },
)
