import { errors, problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import { Type } from 'typebox'
import type { RecommendationDb } from '../../db.ts'
import { ItemParams } from '../../schemas/items.ts'
import { removeItems } from './catalog-writes.ts'

export function deleteItemRoute(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.delete(
    '/v1/items/:itemId',
    {
      schema: {
        operationId: 'deleteItem',
        tags: ['catalog'],
        summary: 'Remove a catalog item',
        description: 'Published as `item.removed` on `attune.items` in the same transaction. Interaction history about the item is kept.',
        params: ItemParams,
        response: { 204: Type.Null({ description: 'Removed', examples: [null] }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const removed = await removeItems(ctx, [request.params.itemId])
      if (removed.length === 0) throw errors.notFound('Item', request.params.itemId)
      return reply.code(204).send(null)
    },
  )
}
