import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { SentimentDb } from '../db.ts'
import { summarize } from '../domain/aggregate.ts'
import type { Dimension } from '../domain/buckets.ts'
import { windowRange, windowSpec } from '../domain/windows.ts'
import { AggregateParams, AggregateQuery, SentimentAggregate } from '../schemas/aggregates.ts'
import { bucketsOf } from '../store/buckets-store.ts'

const paths: { dimension: Dimension; path: string; operationId: string; what: string }[] = [
  { dimension: 'item', path: 'items', operationId: 'getItemSentiment', what: 'an item (its comments, or the post itself)' },
  { dimension: 'author', path: 'authors', operationId: 'getAuthorSentiment', what: "an author's items" },
  { dimension: 'topic', path: 'topics', operationId: 'getTopicSentiment', what: 'a topic (item category)' },
  { dimension: 'user', path: 'users', operationId: 'getUserSentiment', what: "a user's own comments" },
]

export function aggregateRoutes(app: ServiceApp, ctx: ServiceContext<SentimentDb>) {
  for (const p of paths) {
    app.get(
      `/v1/sentiment/${p.path}/:id`,
      {
        config: { scope: 'admin' },
        schema: {
          operationId: p.operationId,
          tags: ['aggregates'],
          summary: `Sentiment about ${p.what} over a window`,
          description: 'Counts per polarity, mean compound score, dominant emotions and a series over the window; zeros when nothing was scored.',
          params: AggregateParams,
          querystring: AggregateQuery,
          response: { 200: ref(SentimentAggregate), ...problemResponses },
        },
      },
      async (request) => {
        const { window } = request.query
        const spec = windowSpec[window]
        const { from, to } = windowRange(ctx.clock(), spec.ms)
        const rows = await bucketsOf(ctx.db, p.dimension, request.params.id, from, to)
        return {
          dimension: p.dimension,
          key: request.params.id,
          window,
          from: from.toISOString(),
          to: to.toISOString(),
          ...summarize(rows, from, to, spec.stepMs),
        }
      },
    )
  }
}
