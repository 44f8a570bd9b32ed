import { Item } from '@attune/contracts'
import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { itemContent } from '../../domain/catalog-items.ts'
import { ItemInput, ItemParams } from '../../schemas/items.ts'
import { findItem } from '../../store/items-store.ts'
import { checkItems, writeItems } from './catalog-writes.ts'

export function putItemRoute(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  app.put(
    '/v1/items/:itemId',
    {
      schema: {
        operationId: 'upsertItem',
        tags: ['catalog'],
        summary: 'Create or replace a catalog item',
        description:
          'Replaces the whole item (fields left out take their defaults). A change is published as `item.upserted` on `attune.items` in the same transaction; sending the same content again changes and publishes nothing. 201 when the item is new.',
        params: ItemParams,
        body: ref(ItemInput),
        response: { 200: ref(Item), 201: ref(Item), ...problemResponses },
      },
    },
    async (request, reply) => {
      const content = itemContent(request.params.itemId, request.body)
      checkItems([content], () => '')
      const changed = await writeItems(ctx, [content])
      const created = changed.created[0]
      if (created) return reply.code(201).send(created)
      return changed.updated[0] ?? ((await findItem(ctx.db, content.itemId)) as Item)
    },
  )
}
