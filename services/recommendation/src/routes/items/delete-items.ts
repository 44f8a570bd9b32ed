import { problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { BATCH_BODY_LIMIT_BYTES, ItemIdBatch, ItemRemoveResult, MAX_ITEMS_PER_BATCH } from '../../schemas/items.ts'
import { removeItems } from './catalog-writes.ts'

export function deleteItemsRoute(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.post(
    '/v1/items/batch-delete',
    {
      bodyLimit: BATCH_BODY_LIMIT_BYTES,
      schema: {
        operationId: 'deleteItems',
        tags: ['catalog'],
        summary: 'Remove many catalog items',
        description: `Up to ${MAX_ITEMS_PER_BATCH} ids in one transaction; each removed item is published as \`item.removed\`. Ids not in the catalog are listed, not an error.`,
        body: ItemIdBatch,
        response: { 200: ItemRemoveResult, ...problemResponses },
      },
    },
    async (request) => {
      const asked = [...new Set(request.body.itemIds)]
      const removed = new Set(await removeItems(ctx, asked))
      return { removed: removed.size, notFound: asked.filter((id) => !removed.has(id)) }
    },
  )
}
