import { randomUUID } from 'node:crypto'
import { EventTypes, MAX_ERASED_ANONYMOUS_IDS, PrivacyRequest, type PrivacyRequestKind, Topics } from '@attune/contracts'
import {
  AppError,
  erasureLockKey,
  errors,
  exportSnapshot,
  hashUserId,
  lockForErasure,
  makeEvent,
  problemRef,
  problemResponses,
  ref,
  refuseIfErasedInFlight,
  type ServiceApp,
  type ServiceContext,
} from '@attune/kit'
import { Type } from 'typebox'
import { fetchExportPart } from '../clients/export-parts.ts'
import type { ProfilingDb } from '../db.ts'
import { parseExportSources } from '../domain/export-sources.ts'
import { describeRequest, parseServiceList } from '../domain/privacy-requests.ts'
import { ErasureQuery, PrivacyRequestParams, PrivacyUserParams, Suppression, UserExport } from '../schemas/privacy.ts'
import { mergedAnonymousIds } from '../store/identity-store.ts'
import { exportUser } from '../store/privacy-export-store.ts'
import { createPrivacyRequest, findPrivacyRequest, requestConfirmations } from '../store/privacy-requests-store.ts'
import { findSuppression, liftSuppression, type StoredSuppression, suppress } from '../store/suppressions-store.ts'

export function privacyRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  /**
   * Records the request and, in the same transaction, publishes what starts it; a pending one of
   * the same kind is returned instead. `suppress` (erasures): the user and its merged anonymous
   * ids are suppressed in that transaction too, whether the request is new or pending.
   */
  async function startRequest(kind: PrivacyRequestKind, userId: string, o: { suppress?: boolean } = {}) {
    const received = ctx.clock()
    const services = kind === 'erasure' ? parseServiceList(ctx.config.PRIVACY_SERVICES) : [ctx.name]
    const type = kind === 'erasure' ? EventTypes.erasureRequested : EventTypes.exportRequested
    const request = await ctx.transaction(async (trx, emit) => {
      let now = received
      if (kind === 'export') {
        // An export's request row names the user: one asked for before an erasure ran would keep the id after it.
        await refuseIfErasedInFlight(trx, ctx.schema, [{ id: userId, field: '/userId', in: 'params' }], received)
      } else {
        // Segment evaluations share this lock and leave out users with an erasure pending: dated once
        // those in flight have committed, the erasure is after every change they publish, and later
        // ones see it pending.
        await lockForErasure(trx, erasureLockKey(ctx.schema))
        now = ctx.clock()
      }
      const { created, request } = await createPrivacyRequest(trx, { id: randomUUID(), kind, userId, userIdHash: hashUserId(userId), services, now })
      const merged = kind === 'erasure' && (created || o.suppress) ? await mergedAnonymousIds(trx, userId) : []
      if (o.suppress) await suppress(trx, { userId, anonymousIds: merged, requestId: request.id, now })
      if (created) {
        // Every service erases the anonymous ids merged into the user too, even one that has not
        // consumed the merge yet (the merge and the erasure travel on different topics).
        const anonymousIds = merged.slice(0, MAX_ERASED_ANONYMOUS_IDS)
        const data = anonymousIds.length > 0 ? { requestId: request.id, userId, anonymousIds } : { requestId: request.id, userId }
        const event = makeEvent({ ...type, source: ctx.name, subject: userId, data }, now)
        await emit([{ topic: ctx.topic(Topics.privacy), key: userId, event }])
      }
      return request
    })
    return describeRequest(request, await requestConfirmations(ctx.db, request.id))
  }

  const describeSuppression = (userId: string, s: StoredSuppression): Suppression => ({
    userId,
    userIdHash: hashUserId(userId),
    suppressedAt: s.suppressedAt.toISOString(),
    requestId: s.requestId,
    subjects: s.subjects,
  })

  app.post(
    '/v1/privacy/export/:userId',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'requestExport',
        tags: ['privacy'],
        summary: 'Export everything held about a user',
        description:
          'Starts a data export (GDPR art. 15). Follow it at `GET /v1/privacy/requests/{id}`: once `completed`, `result` holds everything profiling stores about the user as JSON. While one export of the user is pending, the same request is returned. Asked for before an erasure of the user that ran meanwhile, it is a 409 naming `/userId`.',
        params: PrivacyUserParams,
        response: { 202: ref(PrivacyRequest), 409: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startRequest('export', request.params.userId)),
  )

  app.post(
    '/v1/privacy/erasure/:userId',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'requestErasure',
        tags: ['privacy'],
        summary: 'Erase everything held about a user, in every service',
        description:
          'Starts an erasure (GDPR art. 17): published on `attune.privacy`, each service in `PRIVACY_SERVICES` deletes the user and confirms; the request completes when all have, and then keeps only its id, a hash of the user id, its status and times. Accepted for any user id, known or not; while one erasure of the user is pending, the same request is returned. With `suppress=true`, events still sent about the user (or the anonymous ids merged into it) are refused from now on instead of building a new profile: see `GET /v1/privacy/suppressions/{userId}`.',
        params: PrivacyUserParams,
        querystring: ErasureQuery,
        response: { 202: ref(PrivacyRequest), ...problemResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startRequest('erasure', request.params.userId, { suppress: request.query.suppress })),
  )

  app.put(
    '/v1/privacy/suppressions/:userId',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'suppressUser',
        tags: ['privacy'],
        summary: 'Stop collecting data about a user',
        description:
          'Suppresses the user and the anonymous ids merged into it now, without erasing what is stored: `POST /v1/events` refuses their events (reported in `suppressed`) and `POST /v1/identities/merge` naming them is a 409, until the suppression is lifted. Only sha256 hashes of the ids are kept, so a suppression outlives an erasure. Idempotent: a suppressed id keeps its first time.',
        params: PrivacyUserParams,
        response: { 200: Suppression, ...problemResponses },
      },
    },
    async (request) => {
      const { userId } = request.params
      const now = ctx.clock()
      const found = await ctx.transaction(async (trx) => {
        await suppress(trx, { userId, anonymousIds: await mergedAnonymousIds(trx, userId), requestId: null, now })
        return findSuppression(trx, userId)
      })
      if (!found) throw new AppError('internal_error', 'The suppression was not stored')
      return describeSuppression(userId, found)
    },
  )

  app.get(
    '/v1/privacy/suppressions/:userId',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getSuppression',
        tags: ['privacy'],
        summary: 'Whether data about a user or anonymous id is refused',
        description: 'The suppression asked for this id, or covering it as an anonymous id merged into a suppressed user; 404 when it is not suppressed.',
        params: PrivacyUserParams,
        response: { 200: Suppression, ...problemResponses },
      },
    },
    async (request) => {
      const { userId } = request.params
      const found = await findSuppression(ctx.db, userId)
      if (!found) throw errors.notFound('Suppression of', userId)
      return describeSuppression(userId, found)
    },
  )

  app.delete(
    '/v1/privacy/suppressions/:userId',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'liftSuppression',
        tags: ['privacy'],
        summary: 'Collect data about a user again',
        description:
          'Lifts the suppression of the id and, for a user, of the anonymous ids suppressed with it, e.g. when the person signs up again. What was refused meanwhile is not recovered.',
        params: PrivacyUserParams,
        response: { 204: Type.Null({ description: 'Lifted', examples: [null] }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { userId } = request.params
      if (!(await liftSuppression(ctx.db, userId))) throw errors.notFound('Suppression of', userId)
      return reply.code(204).send(null)
    },
  )

  // Read once: the configuration does not change while the service runs.
  const exportSources = parseExportSources(ctx.config.PRIVACY_EXPORT_SOURCES)
  const exportOptions = {
    timeoutMs: ctx.config.PRIVACY_EXPORT_TIMEOUT_MS,
    ...(ctx.config.PRIVACY_EXPORT_API_KEY ? { apiKey: ctx.config.PRIVACY_EXPORT_API_KEY } : {}),
  }

  app.get(
    '/v1/privacy/users/:userId/export',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'exportUserEverywhere',
        tags: ['privacy'],
        summary: 'Everything Attune holds about a user, from every service, in one document',
        description:
          'The right of access (GDPR art. 15) in one call: profiling’s part and, gathered now, the part of each service in `PRIVACY_EXPORT_SOURCES` (its `GET /v1/privacy/users/{userId}/data`). Each part is one snapshot of its service; the services are asked at the same time, each in its own snapshot, not in one snapshot across them. A service that cannot answer makes it a 502 naming the service: an export is complete or not given.',
        params: PrivacyUserParams,
        response: { 200: UserExport, ...problemResponses },
      },
    },
    async (request) => {
      const { userId } = request.params
      const [own, parts] = await Promise.all([
        exportSnapshot(ctx.db, exportUser, userId),
        Promise.allSettled(exportSources.map((s) => fetchExportPart(s, userId, exportOptions))),
      ])
      const failed = parts.flatMap((p) => (p.status === 'rejected' ? [p.reason instanceof Error ? p.reason.message : String(p.reason)] : []))
      if (failed.length > 0) throw new AppError('bad_gateway', `The export could not be gathered from every service: ${failed.join('; ')}`)
      const services: Record<string, unknown> = { [ctx.name]: own }
      exportSources.forEach((s, i) => {
        const p = parts[i]
        if (p?.status === 'fulfilled') services[s.service] = p.value
      })
      return { userId, exportedAt: ctx.clock().toISOString(), services }
    },
  )

  app.get(
    '/v1/privacy/requests/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getPrivacyRequest',
        tags: ['privacy'],
        summary: 'Status of an export or erasure',
        description: 'Which services must confirm, which did and when, and for a completed export the exported data.',
        params: PrivacyRequestParams,
        response: { 200: ref(PrivacyRequest), ...problemResponses },
      },
    },
    async (request) => {
      const found = await findPrivacyRequest(ctx.db, request.params.id)
      if (!found) throw errors.notFound('privacy request', request.params.id)
      return describeRequest(found, await requestConfirmations(ctx.db, found.id))
    },
  )
}
