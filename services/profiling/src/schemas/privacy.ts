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

export const ErasureQuery = Type.Object(
  {
    suppress: Type.Boolean({
      default: false,
      description:
        'Also suppress the user and the anonymous ids merged into it: from now on their collected events are refused and identity merges naming them are a 409, until `DELETE /v1/privacy/suppressions/{userId}`',
    }),
  },
  { additionalProperties: false },
)
export type ErasureQuery = Static<typeof ErasureQuery>

export const Suppression = Type.Object(
  {
    userId: ExternalId,
    userIdHash: Type.String({ description: 'sha256 of the user id, hex: all that is stored of it' }),
    suppressedAt: Type.String({ format: 'date-time' }),
    requestId: Type.Union([Uuid, Type.Null()], { description: 'The erasure that asked for it, or null (suppressed on its own)' }),
    subjects: Type.Integer({
      minimum: 1,
      description: 'Ids suppressed for the same user: the user and the anonymous ids merged into it',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        userId: 'user-42',
        userIdHash: '2c6e6a3a1b0f4f5c1f2e0c9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
        suppressedAt: '2026-11-25T09:00:00.000Z',
        requestId: null,
        subjects: 2,
      },
    ],
  },
)
export type Suppression = Static<typeof Suppression>
