import { randomUUID } from 'node:crypto'
import { EventTypes, MAX_ERASED_ANONYMOUS_IDS, PrivacyRequest, type PrivacyRequestKind, Topics } from '@attune/contracts'
import { AppError, errors, exportSnapshot, hashUserId, makeEvent, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { fetchExportPart } from '../clients/export-parts.ts'
import type { ProfilingDb } from '../db.ts'
import { parseExportSources } from '../domain/export-sources.ts'
import { describeRequest, parseServiceList } from '../domain/privacy-requests.ts'
import { PrivacyRequestParams, PrivacyUserParams, UserExport } from '../schemas/privacy.ts'
import { mergedAnonymousIds } from '../store/identity-store.ts'
import { exportUser } from '../store/privacy-export-store.ts'
import { createPrivacyRequest, findPrivacyRequest, requestConfirmations } from '../store/privacy-requests-store.ts'

export function privacyRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  /** Records the request and, in the same transaction, publishes what starts it; a pending one of the same kind is returned instead. */
  async function startRequest(kind: PrivacyRequestKind, userId: string) {
    const now = ctx.clock()
    const services = kind === 'erasure' ? parseServiceList(ctx.config.PRIVACY_SERVICES) : [ctx.name]
    const type = kind === 'erasure' ? EventTypes.erasureRequested : EventTypes.exportRequested
    const request = await ctx.transaction(async (trx, emit) => {
      const { created, request } = await createPrivacyRequest(trx, { id: randomUUID(), kind, userId, userIdHash: hashUserId(userId), services, now })
      if (created) {
        // Every service erases the anonymous ids merged into the user too, even one that has not
        // consumed the merge yet (the merge and the erasure travel on different topics).
        const anonymousIds = kind === 'erasure' ? await mergedAnonymousIds(trx, userId, MAX_ERASED_ANONYMOUS_IDS) : []
        const data = anonymousIds.length > 0 ? { requestId: request.id, userId, anonymousIds } : { requestId: request.id, userId }
        const event = makeEvent({ ...type, source: ctx.name, subject: userId, data }, now)
        await emit([{ topic: ctx.topic(Topics.privacy), key: userId, event }])
      }
      return request
    })
    return describeRequest(request, await requestConfirmations(ctx.db, request.id))
  }

  app.post(
    '/v1/privacy/export/:userId',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'requestExport',
        tags: ['privacy'],
        summary: 'Export everything held about a user',
        description:
          'Starts a data export (GDPR art. 15). Follow it at `GET /v1/privacy/requests/{id}`: once `completed`, `result` holds everything profiling stores about the user as JSON. While one export of the user is pending, the same request is returned.',
        params: PrivacyUserParams,
        response: { 202: ref(PrivacyRequest), ...problemResponses },
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
          'Starts an erasure (GDPR art. 17): published on `attune.privacy`, each service in `PRIVACY_SERVICES` deletes the user and confirms; the request completes when all have, and then keeps only its id, a hash of the user id, its status and times. Accepted for any user id, known or not; while one erasure of the user is pending, the same request is returned.',
        params: PrivacyUserParams,
        response: { 202: ref(PrivacyRequest), ...problemResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startRequest('erasure', request.params.userId)),
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
