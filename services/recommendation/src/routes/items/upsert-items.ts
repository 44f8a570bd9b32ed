import { problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { itemContent } from '../../domain/catalog-items.ts'
import { BATCH_BODY_LIMIT_BYTES, ItemBatch, ItemBatchResult, MAX_ITEMS_PER_BATCH } from '../../schemas/items.ts'
import { checkItems, writeItems } from './catalog-writes.ts'

export function upsertItemsRoute(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.post(
    '/v1/items/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT_BYTES,
      schema: {
        operationId: 'upsertItems',
        tags: ['catalog'],
        summary: 'Create or replace many catalog items',
        description: `Up to ${MAX_ITEMS_PER_BATCH} items (body up to ${BATCH_BODY_LIMIT_BYTES / 1024 / 1024} MiB), written in one statement: all or none. Each created or changed item is published as \`item.upserted\`; items sent with their stored content are counted as unchanged and not published again. An id may appear once per call.`,
        body: ItemBatch,
        response: { 200: ItemBatchResult, ...problemResponses },
      },
    },
    async (request) => {
      const { items } = request.body
      const contents = items.map(({ itemId, ...fields }) => itemContent(itemId, fields))
      checkItems(contents, (i) => `/items/${i}`)
      const { created, updated } = await writeItems(ctx, contents)
      return { received: items.length, created: created.length, updated: updated.length, unchanged: items.length - created.length - updated.length }
    },
  )
}
