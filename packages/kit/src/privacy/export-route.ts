import { ExternalId } from '@attune/contracts'
import type { Kysely } from 'kysely'
import { Type } from 'typebox'
import { problemResponses } from '../schemas.ts'
import type { ServiceApp } from '../service.ts'

const UserData = Type.Object(
  {
    service: Type.String({ description: 'The service that holds the data' }),
    userId: ExternalId,
    exportedAt: Type.String({ format: 'date-time' }),
    data: Type.Unknown({ description: 'Everything this service holds about the user, as its privacy export hook gathers it (the rows its erasure deletes)' }),
  },
  {
    additionalProperties: false,
    examples: [{ service: 'scheduling', userId: 'user-42', exportedAt: '2026-11-25T09:00:00.000Z', data: { deliveries: [], activity: null } }],
  },
)

/** A service's export of a user read in one snapshot: the hook's reads see the same moment, whatever commits meanwhile. */
export function exportSnapshot<DB>(db: Kysely<DB>, exportUser: (db: Kysely<DB>, userId: string) => Promise<unknown>, userId: string): Promise<unknown> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => exportUser(trx, userId))
}

/**
 * `GET /v1/privacy/users/{userId}/data`, on every service with a `privacy.export` hook: the right
 * of access (GDPR art. 15) answered by each service that holds user data, now, for an admin key.
 * Profiling's `POST /v1/privacy/export/{userId}` gathers profiling's part as a tracked request.
 */
export function registerPrivacyExportRoute<DB>(
  app: ServiceApp,
  deps: { service: string; db: Kysely<DB>; exportUser: (db: Kysely<DB>, userId: string) => Promise<unknown>; clock: () => Date },
): void {
  app.get(
    '/v1/privacy/users/:userId/data',
    {
      schema: {
        operationId: 'exportUserData',
        tags: ['privacy'],
        summary: 'Everything this service holds about a user (GDPR art. 15)',
        description:
          'The rows this service would delete on the user’s erasure, as JSON, read now. An unknown user is an empty export, not a 404: holding nothing is the answer. Needs an admin key.',
        params: Type.Object({ userId: ExternalId }, { additionalProperties: false }),
        response: { 200: UserData, ...problemResponses },
      },
    },
    async (request) => {
      const { userId } = request.params
      const data = await exportSnapshot(deps.db, deps.exportUser, userId)
      return { service: deps.service, userId, exportedAt: deps.clock().toISOString(), data }
    },
  )
}
