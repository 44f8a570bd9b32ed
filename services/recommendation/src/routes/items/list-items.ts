import { AppError, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { decodeKeyCursor, encodeKeyCursor } from '../../domain/key-cursor.ts'
import { ItemListQuery, ItemPage } from '../../schemas/items.ts'
import { listItems } from '../../store/items-store.ts'

export function listItemsRoute(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.get(
    '/v1/items',
    {
      schema: {
        operationId: 'listItems',
        tags: ['catalog'],
        summary: 'Catalog items by id, filtered',
        description: 'Pages in item id order (byte order); filters combine with AND.',
        querystring: ItemListQuery,
        response: { 200: ref(ItemPage), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query
      const after = cursor === undefined ? undefined : decodeKeyCursor(cursor)
      if (cursor !== undefined && after === undefined)
        throw new AppError('invalid_cursor', 'cursor was not issued by this endpoint', {
          errors: [{ field: '/cursor', in: 'querystring', message: 'is not a valid cursor' }],
        })
      const rows = await listItems(ctx.db, filter, limit, after)
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page, nextCursor: rows.length > limit && last ? encodeKeyCursor(last.itemId) : null }
    },
  )
}
