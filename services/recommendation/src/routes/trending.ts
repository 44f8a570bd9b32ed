import { AppError, problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { decodeOffsetCursor, encodeOffsetCursor } from '../domain/cursor.ts'
import { trendingWindows } from '../domain/popularity.ts'
import { TrendingPage, TrendingQuery } from '../schemas/trending.ts'
import { trendingItems } from '../store/popularity-store.ts'

export function trendingRoutes(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.get(
    '/v1/trending',
    {
      config: { scope: 'recommendations:read' },
      schema: {
        operationId: 'getTrending',
        tags: ['trending'],
        summary: 'Items trending across all users',
        description: 'Items ranked by time-decayed, weighted interactions in the window (hides and "not interested" subtract).',
        querystring: TrendingQuery,
        response: { 200: TrendingPage, ...problemResponses },
      },
    },
    async (request) => {
      const { window, limit, cursor } = request.query
      const offset = cursor === undefined ? 0 : decodeOffsetCursor(cursor)
      if (offset === undefined)
        throw new AppError('invalid_cursor', 'cursor was not issued by this endpoint', {
          errors: [{ field: '/cursor', in: 'querystring', message: 'is not a valid cursor' }],
        })
      const rows = await trendingItems(ctx.db, { now: ctx.clock(), ...trendingWindows[window], limit: limit + 1, offset })
      const page = rows.slice(0, limit)
      return {
        items: page.map((r) => ({ ...r, reasons: [`trending: ${r.events} interactions in ${window}`] })),
        nextCursor: rows.length > limit ? encodeOffsetCursor(offset + limit) : null,
      }
    },
  )
}
