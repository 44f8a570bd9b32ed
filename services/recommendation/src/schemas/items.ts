import { ExternalId, Item, ItemContentFields } from '@attune/contracts'
import { ref } from '@attune/kit'
import { type Static, Type } from 'typebox'

/** Items per batch call; the body limit of the batch routes is sized for this many full items. */
export const MAX_ITEMS_PER_BATCH = 5000
/** 5,000 items of ~6 KB each (title, 20,000-character text at most, lists, properties). */
export const BATCH_BODY_LIMIT_BYTES = 32 * 1024 * 1024

const optional = {
  type: Type.Optional(ItemContentFields.type),
  title: Type.Optional(ItemContentFields.title),
  text: Type.Optional(ItemContentFields.text),
  url: Type.Optional(ItemContentFields.url),
  categories: Type.Optional(ItemContentFields.categories),
  tags: Type.Optional(ItemContentFields.tags),
  author: Type.Optional(ItemContentFields.author),
  language: Type.Optional(ItemContentFields.language),
  publishedAt: Type.Optional(ItemContentFields.publishedAt),
  expiresAt: Type.Optional(ItemContentFields.expiresAt),
  hidden: Type.Optional(ItemContentFields.hidden),
  properties: Type.Optional(ItemContentFields.properties),
}

const inputExample = {
  type: 'article',
  title: 'Heat pumps, explained',
  text: 'How heat pumps move heat rather than make it, and what that means for your bills.',
  url: 'https://news.example.com/science/heat-pumps-explained',
  categories: ['science', 'climate'],
  tags: ['energy', 'explainer'],
  author: 'author-3',
  language: 'en',
  publishedAt: '2026-11-24T08:00:00Z',
  properties: { premium: false, readingMinutes: 6 },
}

/** Body of `PUT /v1/items/{itemId}`: the whole content; a field left out is reset to its default. */
export const ItemInput = Type.Object(optional, {
  $id: 'ItemInput',
  additionalProperties: false,
  description: 'The whole content of an item; fields left out take their defaults (type article, null, empty, not hidden)',
  examples: [inputExample],
})
export type ItemInput = Static<typeof ItemInput>

export const ItemParams = Type.Object({ itemId: ExternalId }, { additionalProperties: false })

const BatchItem = Type.Object({ itemId: ExternalId, ...optional }, { additionalProperties: false })

export const ItemBatch = Type.Object(
  {
    items: Type.Array(BatchItem, {
      minItems: 1,
      maxItems: MAX_ITEMS_PER_BATCH,
      description: `1 to ${MAX_ITEMS_PER_BATCH} items, each id once; each replaces the stored item of that id`,
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        items: [
          { itemId: 'article-7', ...inputExample },
          { itemId: 'video-12', type: 'video', title: 'Inside a heat pump', categories: ['science'], author: 'author-3', language: 'en' },
        ],
      },
    ],
  },
)
export type ItemBatch = Static<typeof ItemBatch>

export const ItemBatchResult = Type.Object(
  {
    received: Type.Integer({ minimum: 1, description: 'Items in the request' }),
    created: Type.Integer({ minimum: 0, description: 'New items' }),
    updated: Type.Integer({ minimum: 0, description: 'Items whose content changed' }),
    unchanged: Type.Integer({ minimum: 0, description: 'Items already stored with exactly this content: not written or published again' }),
  },
  { additionalProperties: false, examples: [{ received: 2, created: 1, updated: 0, unchanged: 1 }] },
)

export const ItemIdBatch = Type.Object(
  { itemIds: Type.Array(ExternalId, { minItems: 1, maxItems: MAX_ITEMS_PER_BATCH, description: `1 to ${MAX_ITEMS_PER_BATCH} item ids` }) },
  { additionalProperties: false, examples: [{ itemIds: ['article-7', 'video-12'] }] },
)

export const ItemRemoveResult = Type.Object(
  {
    removed: Type.Integer({ minimum: 0, description: 'Items removed (each published as item.removed)' }),
    notFound: Type.Array(ExternalId, { description: 'Ids that were not in the catalog' }),
  },
  { additionalProperties: false, examples: [{ removed: 1, notFound: ['video-12'] }] },
)

export const ItemListQuery = Type.Object(
  {
    type: Type.Optional(ItemContentFields.type),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Items with this category' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Items with this tag' })),
    author: Type.Optional(ExternalId),
    language: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'Exact language tag' })),
    hidden: Type.Optional(Type.Boolean({ description: 'Only hidden (true) or only visible (false) items' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'From the previous page' })),
  },
  { additionalProperties: false },
)
export type ItemListQuery = Static<typeof ItemListQuery>

export const ItemPage = Type.Object(
  {
    items: Type.Array(ref(Item)),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; null when done' }),
  },
  { $id: 'ItemPage', additionalProperties: false, examples: [{ items: (Item as { examples?: unknown[] }).examples ?? [], nextCursor: 'azphcnRpY2xlLTc' }] },
)
