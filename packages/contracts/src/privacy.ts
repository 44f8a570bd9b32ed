import { type Static, Type } from 'typebox'
import { EventEnvelope, ExternalId, Uuid } from './envelope.ts'

const ServiceName = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'Name of an Attune service', examples: ['recommendation'] })

/** How many merged anonymous ids an erasure request names at most. */
export const MAX_ERASED_ANONYMOUS_IDS = 1000

/** `data` of `privacy.erasure-requested` on `attune.privacy`: every service holding user data erases it and confirms. */
export const ErasureRequestedData = Type.Object(
  {
    requestId: Uuid,
    userId: ExternalId,
    anonymousIds: Type.Optional(
      Type.Array(ExternalId, {
        maxItems: MAX_ERASED_ANONYMOUS_IDS,
        description:
          'Anonymous ids merged into the user when the erasure was asked for (the latest, up to 1,000): each service erases them too, even when it has not seen the merge yet',
      }),
    ),
  },
  { $id: 'ErasureRequestedData', additionalProperties: false },
)
export type ErasureRequestedData = Static<typeof ErasureRequestedData>
export const ErasureRequested = EventEnvelope(ErasureRequestedData, 'ErasureRequested')

/** Every id an erasure request erases: the user and the anonymous ids merged into it. */
export function erasedIds(d: ErasureRequestedData): string[] {
  return [d.userId, ...(d.anonymousIds ?? [])]
}

/** `data` of `privacy.erasure-completed`: one service confirms it holds nothing more about the user. */
export const ErasureCompletedData = Type.Object(
  {
    requestId: Uuid,
    userId: ExternalId,
    service: ServiceName,
  },
  { $id: 'ErasureCompletedData', additionalProperties: false },
)
export type ErasureCompletedData = Static<typeof ErasureCompletedData>
export const ErasureCompleted = EventEnvelope(ErasureCompletedData, 'ErasureCompleted')

/** `data` of `privacy.export-requested`: gather what is held about the user into the request's result. */
export const ExportRequestedData = Type.Object(
  {
    requestId: Uuid,
    userId: ExternalId,
  },
  { $id: 'ExportRequestedData', additionalProperties: false },
)
export type ExportRequestedData = Static<typeof ExportRequestedData>
export const ExportRequested = EventEnvelope(ExportRequestedData, 'ExportRequested')

export const PrivacyRequestKinds = ['export', 'erasure'] as const
export type PrivacyRequestKind = (typeof PrivacyRequestKinds)[number]
export const PrivacyRequestStatuses = ['pending', 'completed', 'failed'] as const
export type PrivacyRequestStatus = (typeof PrivacyRequestStatuses)[number]

/** A data-subject request (GDPR art. 15 and 17) as `GET /v1/privacy/requests/{id}` shows it. */
export const PrivacyRequest = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('export'), Type.Literal('erasure')]),
    status: Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('failed')], {
      description: 'pending until every service confirmed (erasure) or the data is gathered (export)',
    }),
    userId: Type.Union([ExternalId, Type.Null()], { description: 'The user; null once an erasure completed (or the user was erased since)' }),
    userIdHash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'sha256 hex of the user id: what is kept after erasure' }),
    requestedAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    services: Type.Array(ServiceName, { description: 'Services that must confirm' }),
    confirmations: Type.Array(Type.Object({ service: ServiceName, confirmedAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), {
      description: 'Services that confirmed, and when',
    }),
    awaiting: Type.Array(ServiceName, { description: 'Services that have not confirmed yet' }),
    result: Type.Optional(Type.Unknown({ description: 'Export only, once completed: everything held about the user, as JSON' })),
    error: Type.Optional(Type.String({ description: 'Why the request failed' })),
  },
  {
    $id: 'PrivacyRequest',
    additionalProperties: false,
    examples: [
      {
        id: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
        kind: 'erasure',
        status: 'completed',
        userId: null,
        userIdHash: 'a1f3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3',
        requestedAt: '2026-11-25T09:00:00.000Z',
        completedAt: '2026-11-25T09:00:02.000Z',
        services: ['profiling', 'recommendation'],
        confirmations: [
          { service: 'profiling', confirmedAt: '2026-11-25T09:00:01.000Z' },
          { service: 'recommendation', confirmedAt: '2026-11-25T09:00:02.000Z' },
        ],
        awaiting: [],
      },
    ],
  },
)
export type PrivacyRequest = Static<typeof PrivacyRequest>
