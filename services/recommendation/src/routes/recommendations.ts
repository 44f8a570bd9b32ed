import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { FastifyReply } from 'fastify'
import type { RecommendationDb } from '../db.ts'
import { listParam } from '../domain/item-filter.ts'
import { modelRegistryFor } from '../models/model-registry.ts'
import { FeedQuery, ItemParams, RecommendationsQuery, SimilarQuery, Slate, UserParams } from '../schemas/recommendations.ts'
import { servingFor } from '../serving/serving.ts'
import { feedForUser } from '../slates/feed-for-user.ts'
import { recommendForUser } from '../slates/recommend-for-user.ts'
import { similarItems } from '../slates/similar-items.ts'
import type { SlateReply } from '../slates/slate-context.ts'

export function recommendationRoutes(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  const models = modelRegistryFor(ctx)
  const serving = servingFor(ctx)
  const deps = () => ({ db: ctx.db, models, serving, now: ctx.clock() })
  app.addHook('onClose', () => serving.close())

  app.get(
    '/v1/users/:userId/recommendations',
    {
      config: { scope: 'recommendations:read' },
      schema: {
        operationId: 'getRecommendations',
        tags: ['recommendations'],
        summary: 'Personalized recommendations for a user, each explained',
        description:
          'Blends the trained recommenders over the user’s current history (an interaction counts at once), applies their mutes, languages and followed topics, boosts followed authors. Pages with `cursor` never repeat an item. Echo `recommendationId` on interactions to attribute them.',
        params: UserParams,
        querystring: RecommendationsQuery,
        response: { 200: ref(Slate), ...problemResponses },
      },
    },
    async (request, reply) => {
      const q = request.query
      const slate = await recommendForUser(deps(), {
        userId: request.params.userId,
        count: q.count,
        scenario: q.scenario,
        filters: {
          categories: listParam(q.categories),
          types: listParam(q.types),
          authors: listParam(q.authors),
          languages: listParam(q.languages),
          ...(q.maxAgeHours !== undefined ? { maxAgeMs: q.maxAgeHours * 3_600_000 } : {}),
        },
        exclude: listParam(q.exclude) ?? [],
        excludeSeen: q.excludeSeen,
        diversity: q.diversity,
        explore: q.explore,
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        withItems: q.include === 'item',
      })
      return sendSlate(reply, slate)
    },
  )

  app.get(
    '/v1/users/:userId/feed',
    {
      config: { scope: 'recommendations:read' },
      schema: {
        operationId: 'getFeed',
        tags: ['recommendations'],
        summary: 'A social feed: followed authors, the user’s network, their interests and what is trending',
        description: 'Interleaves the sources 40/30/20/10 (following, interests, network, trending); each item says which source put it there.',
        params: UserParams,
        querystring: FeedQuery,
        response: { 200: ref(Slate), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { count, maxAgeHours, cursor, include } = request.query
      const slate = await feedForUser(deps(), {
        userId: request.params.userId,
        count,
        maxAgeHours,
        ...(cursor !== undefined ? { cursor } : {}),
        withItems: include === 'item',
      })
      return sendSlate(reply, slate)
    },
  )

  app.get(
    '/v1/items/:itemId/similar',
    {
      config: { scope: 'recommendations:read' },
      schema: {
        operationId: 'getSimilarItems',
        tags: ['recommendations'],
        summary: 'Items similar to an item',
        description: 'By co-engagement, learned factors and content; popular items of its categories when the model has not seen the item yet.',
        params: ItemParams,
        querystring: SimilarQuery,
        response: { 200: ref(Slate), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { count, userId, include } = request.query
      const slate = await similarItems(deps(), {
        itemId: request.params.itemId,
        count,
        ...(userId !== undefined ? { userId } : {}),
        withItems: include === 'item',
      })
      return sendSlate(reply, slate)
    },
  )
}

/** The slate's body is JSON already (see serveSlate): sent as it is, not serialized again. */
function sendSlate(reply: FastifyReply, slate: SlateReply): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(slate.body)
}
