import { EventTypes, Topics } from '@attune/contracts'
import { errors, makeEvent, problemRef, problemResponses, ref, refuseIfErasedInFlight, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { computeCustomTrait } from '../domain/custom-traits.ts'
import { computeTraits } from '../domain/profile-traits.ts'
import { AttributesPatch, AttributesResult, Profile, UserParams } from '../schemas/profiles.ts'
import { profileReader } from '../store/profile-reader.ts'
import { eventsForCustomTraits, patchAttributes, resolveProfileId } from '../store/profiles-store.ts'
import { refreshRuleSegmentsOf } from '../store/segment-membership-store.ts'

export function profileRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  const profiles = profileReader(ctx.db, ctx.schema, ctx.clock)
  app.get(
    '/v1/profiles/:userId',
    {
      schema: {
        operationId: 'getProfile',
        tags: ['profiles'],
        summary: "A user's attributes, computed traits and custom traits",
        description: 'An anonymous id that was merged into a user returns that user’s profile.',
        params: UserParams,
        response: { 200: ref(Profile), ...problemResponses },
      },
    },
    async (request) => {
      const now = ctx.clock()
      const rows = await profiles.read(request.params.userId)
      if (!rows) throw errors.notFound('Profile', request.params.userId)
      const { userId } = rows
      const { definitions } = rows
      const longest = Math.max(0, ...definitions.map((d) => d.windowDays))
      const events = longest > 0 ? await eventsForCustomTraits(ctx.db, userId, new Date(now.getTime() - longest * 86_400_000)) : []
      const custom = Object.fromEntries(
        definitions.map((d) => {
          const since = now.getTime() - d.windowDays * 86_400_000
          const inScope = events.filter(
            (e) => (d.eventTypes.length === 0 || d.eventTypes.includes(e.type)) && Date.parse((e.payload as { time: string }).time) >= since,
          )
          return [d.name, computeCustomTrait(d, inScope)]
        }),
      )
      return { userId, mergedAnonymousIds: rows.mergedAnonymousIds, attributes: rows.attributes, traits: computeTraits(rows, now), custom }
    },
  )

  app.patch(
    '/v1/profiles/:userId',
    {
      schema: {
        operationId: 'updateProfileAttributes',
        tags: ['profiles'],
        summary: 'Set or remove profile attributes',
        description:
          "A request received before its user's erasure was asked for that reaches the store after the erasure ran is a 409 naming the id's field, and writes nothing.",
        params: UserParams,
        body: AttributesPatch,
        response: { 200: AttributesResult, 409: problemRef, ...problemResponses },
      },
    },
    async (request) => {
      const now = ctx.clock()
      const userId = await resolveProfileId(ctx.db, request.params.userId)
      const attributes = await ctx.transaction(async (trx, emit) => {
        // The id asked for, and the user it resolved to (an anonymous id merged into it).
        const ids = [...new Set([request.params.userId, userId])].map((id) => ({ id, field: '/userId', in: 'params' as const }))
        // Also shares the erasure lock, which re-evaluating rule segments below needs.
        await refuseIfErasedInFlight(trx, ctx.schema, ids, now)
        const result = await patchAttributes(trx, userId, request.body.attributes, now)
        const memberships = await refreshRuleSegmentsOf(trx, [userId], { topic: ctx.topic(Topics.profiles), source: ctx.name, now })
        // Only the names of changed attributes travel: values may be personal data.
        await emit([
          {
            topic: ctx.topic(Topics.profiles),
            key: userId,
            event: makeEvent(
              {
                ...EventTypes.profileUpdated,
                source: ctx.name,
                subject: userId,
                data: { userId, changed: Object.keys(request.body.attributes).map((k) => `attributes.${k}`) },
              },
              now,
            ),
          },
          ...memberships,
        ])
        return result
      })
      return { userId, attributes }
    },
  )
}
