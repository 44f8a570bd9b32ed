import { ConsentChanges, EventTypes, Topics, UserConsents } from '@attune/contracts'
import { AppError, makeEvent, problemRef, problemResponses, ref, refuseIfErasedInFlight, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { checkConsentChanges, consentRecord, decodeHistoryCursor, describeConsents, encodeHistoryCursor } from '../domain/consents.ts'
import { ConsentHistoryPage, ConsentHistoryQuery, ConsentsParams } from '../schemas/consents.ts'
import { consentHistory, currentConsents, insertConsents } from '../store/consents-store.ts'

export function consentRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  app.get(
    '/v1/users/:userId/consents',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getConsents',
        tags: ['consents'],
        summary: "Get a user's current consent per purpose",
        description:
          'Every purpose with its state now: the latest choice (`granted`, `denied`, `revoked`), `expired` for a grant past its expiresAt (not a grant), `unknown` for a purpose never set.',
        params: ConsentsParams,
        response: { 200: ref(UserConsents), ...problemResponses },
      },
    },
    async (request) => {
      const now = ctx.clock()
      return describeConsents(request.params.userId, await currentConsents(ctx.db, request.params.userId, now), now)
    },
  )

  app.post(
    '/v1/users/:userId/consents',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'recordConsents',
        tags: ['consents'],
        summary: 'Record consent choices',
        description:
          "Records one choice for each of 1 to 5 purposes, all or none. `at` defaults to now and may not be in the future (up to 5 minutes of clock skew is recorded as now); `expiresAt` must be after `at`. Every choice is kept in the history; the change is published as `consent.changed` on `attune.profiles` (key: userId) in the same transaction. Answers with the state after the change. A request received before its user's erasure was asked for that reaches the store after the erasure ran is a 409 naming the id's field, and writes nothing.",
        params: ConsentsParams,
        body: ref(ConsentChanges),
        response: { 201: ref(UserConsents), 409: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { userId } = request.params
      const now = ctx.clock()
      const checked = checkConsentChanges(request.body.consents, now)
      if (!checked.ok) throw new AppError('validation_failed', checked.errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors: checked.errors })
      const state = await ctx.transaction(async (trx, emit) => {
        await refuseIfErasedInFlight(trx, ctx.schema, [{ id: userId, field: '/userId', in: 'params' }], now)
        const recorded = await insertConsents(trx, userId, checked.entries, now)
        const after = describeConsents(userId, await currentConsents(trx, userId, now), now)
        await emit([
          {
            topic: ctx.topic(Topics.profiles),
            key: userId,
            event: makeEvent(
              { ...EventTypes.consentChanged, source: ctx.name, subject: userId, data: { ...after, changes: recorded.map(consentRecord) } },
              now,
            ),
          },
        ])
        return after
      })
      return reply.code(201).send(state)
    },
  )

  app.get(
    '/v1/users/:userId/consents/history',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listConsentHistory',
        tags: ['consents'],
        summary: "A user's consent choices, newest first",
        description: 'Every recorded choice, newest `at` first, a page at a time.',
        params: ConsentsParams,
        querystring: ConsentHistoryQuery,
        response: { 200: ConsentHistoryPage, ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query
      const after = cursor === undefined ? undefined : decodeHistoryCursor(cursor)
      if (cursor !== undefined && !after)
        throw new AppError('invalid_cursor', 'cursor was not issued by this endpoint', {
          errors: [{ field: '/cursor', in: 'querystring', message: 'is not a valid cursor' }],
        })
      const rows = await consentHistory(ctx.db, request.params.userId, limit, after)
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return { items: page.map(consentRecord), nextCursor: rows.length > limit && last ? encodeHistoryCursor(last) : null }
    },
  )
}
