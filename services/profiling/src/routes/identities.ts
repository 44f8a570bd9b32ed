import { Topics } from '@attune/contracts'
import { AppError, problemRef, problemResponses, refuseIfErasedInFlight, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { identityMergedMessage } from '../domain/identity-merged.ts'
import { MergeLogPage, MergeLogQuery, MergeRequest, MergeResult } from '../schemas/identities.ts'
import { mergeIdentity, mergeLogPage } from '../store/identity-store.ts'
import { membershipMessages, refreshRuleSegmentsOf } from '../store/segment-membership-store.ts'
import { suppressedIds } from '../store/suppressions-store.ts'

export function identityRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  app.post(
    '/v1/identities/merge',
    {
      schema: {
        operationId: 'mergeIdentities',
        tags: ['identities'],
        summary: 'Merge an anonymous history into a known user',
        description:
          "Moves the anonymous events and traits to the user and logs the merge. The anonymous id leaves every segment it was a member of (each leave published as `segment.membership-changed`) and the user's rule segments are re-evaluated. Merging again is a no-op; an anonymous id already merged into another user is a 409, and so is a suppressed user or anonymous id (see `PUT /v1/privacy/suppressions/{userId}`). A request received before its user's erasure was asked for that reaches the store after the erasure ran is a 409 naming the id's field, and writes nothing.",
        body: MergeRequest,
        response: { 200: MergeResult, 409: problemRef, ...problemResponses },
      },
    },
    async (request) => {
      const { anonymousId, userId } = request.body
      const now = ctx.clock()
      const outcome = await ctx.transaction(async (trx, emit) => {
        // Also shares the erasure lock, which re-evaluating rule segments below needs.
        await refuseIfErasedInFlight(
          trx,
          ctx.schema,
          [
            { id: anonymousId, field: '/anonymousId', in: 'body' },
            { id: userId, field: '/userId', in: 'body' },
          ],
          now,
        )
        const suppressed = await suppressedIds(trx, [anonymousId, userId])
        if (suppressed.size > 0)
          throw new AppError('conflict', 'Data about a suppressed id is not collected', {
            errors: (['anonymousId', 'userId'] as const).flatMap((f) =>
              suppressed.has(request.body[f]) ? [{ field: `/${f}`, in: 'body' as const, message: 'is suppressed' }] : [],
            ),
          })
        const o = await mergeIdentity(trx, ctx.schema, anonymousId, userId, 'api', now)
        if (o.status === 'merged') {
          // The user's profile now holds the anonymous one's traits and attributes; the anonymous id's
          // memberships have ended with its profile.
          const published = { topic: ctx.topic(Topics.profiles), source: ctx.name, now }
          const memberships = await refreshRuleSegmentsOf(trx, [userId], published)
          await emit([
            identityMergedMessage(ctx.name, ctx.topic, { anonymousId, userId }, now),
            ...membershipMessages(o.membershipsEnded, published),
            ...memberships,
          ])
        }
        return o
      })
      if (outcome.status === 'conflict')
        throw new AppError('conflict', `anonymousId ${anonymousId} is already merged into another user`, {
          errors: [{ field: '/anonymousId', in: 'body', message: 'is already merged into another user' }],
        })
      return { anonymousId, userId, status: outcome.status, eventsMoved: outcome.status === 'merged' ? outcome.eventsMoved : 0 }
    },
  )

  app.get(
    '/v1/identities/merges',
    {
      schema: {
        operationId: 'listIdentityMerges',
        tags: ['identities'],
        summary: 'The merge log, newest first',
        querystring: MergeLogQuery,
        response: { 200: MergeLogPage, ...problemResponses },
      },
    },
    async (request) => {
      const { userId, limit, cursor } = request.query
      const rows = await mergeLogPage(ctx.db, { ...(userId ? { userId } : {}), limit, ...(cursor ? { beforeId: Number(cursor) } : {}) })
      const page = rows.slice(0, limit)
      return {
        items: page.map((r) => ({
          anonymousId: r.anonymousId,
          userId: r.userId,
          source: r.source,
          eventsMoved: r.eventsMoved,
          mergedAt: r.mergedAt.toISOString(),
        })),
        nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
      }
    },
  )
}
