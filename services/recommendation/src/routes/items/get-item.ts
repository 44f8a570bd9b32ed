import { Item } from '@attune/contracts'
import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { ItemParams } from '../../schemas/items.ts'
import { findItem } from '../../store/items-store.ts'

export function getItemRoute(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.get(
    '/v1/items/:itemId',
    {
      schema: {
        operationId: 'getItem',
        tags: ['catalog'],
        summary: 'One catalog item',
        params: ItemParams,
        response: { 200: ref(Item), ...problemResponses },
      },
    },
    async (request) => {
      const item = await findItem(ctx.db, request.params.itemId)
      if (!item) throw errors.notFound('Item', request.params.itemId)
      return item
    },
  )
}
