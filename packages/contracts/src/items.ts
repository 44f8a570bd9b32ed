import { type Static, Type } from 'typebox'
import { EventEnvelope, ExternalId } from './envelope.ts'

/** Item types Attune knows by name; `type` is open, so a site may use its own (lowercase, 1-32 characters). */
export const KnownItemTypes = ['article', 'post', 'video', 'podcast', 'product', 'event', 'recipe'] as const

const Label = Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$', description: 'No leading or trailing whitespace' })
const DateTime = Type.String({ format: 'date-time' })

/** The content of a catalog item: what a client sends (besides the id) and what is stored and published. */
export const ItemContentFields = {
  type: Type.String({
    pattern: '^[a-z][a-z0-9_-]{0,31}$',
    description: `What the item is; open, lowercase. Known: ${KnownItemTypes.join(', ')}`,
    examples: ['article'],
  }),
  title: Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()], { description: 'Headline or name' }),
  text: Type.Union([Type.String({ maxLength: 20000 }), Type.Null()], {
    description: 'Body, summary or description (up to 20,000 characters): what the content recommender reads',
  }),
  url: Type.Union([Type.String({ format: 'uri', maxLength: 2048 }), Type.Null()], { description: 'Where the item lives' }),
  categories: Type.Array(Label, { maxItems: 20, uniqueItems: true, description: 'Sections or topics, matched against followed and muted topics' }),
  tags: Type.Array(Label, { maxItems: 50, uniqueItems: true, description: 'Free keywords' }),
  author: Type.Union([ExternalId, Type.Null()], { description: 'Author id, as in follows (`targetType: author`) and muted authors' }),
  language: Type.Union([Type.String({ minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$' }), Type.Null()], {
    description: 'BCP 47 language tag of the content',
  }),
  publishedAt: Type.Union([DateTime, Type.Null()], { description: 'When it was published; recency is measured from here' }),
  expiresAt: Type.Union([DateTime, Type.Null()], { description: 'After this the item is no longer recommended; after publishedAt' }),
  hidden: Type.Boolean({ description: 'Kept in the catalog but never recommended (e.g. withdrawn or under review)' }),
  properties: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), {
    maxProperties: 100,
    description: 'Free properties (up to 100), stored and published as given',
  }),
}

const itemExample = {
  itemId: 'article-7',
  type: 'article',
  title: 'Heat pumps, explained',
  text: 'How heat pumps move heat rather than make it, and what that means for your bills.',
  url: 'https://news.example.com/science/heat-pumps-explained',
  categories: ['science', 'climate'],
  tags: ['energy', 'explainer'],
  author: 'author-3',
  language: 'en',
  publishedAt: '2026-11-24T08:00:00.000Z',
  expiresAt: null,
  hidden: false,
  properties: { premium: false, readingMinutes: 6 },
  createdAt: '2026-11-24T08:00:05.000Z',
  updatedAt: '2026-11-24T08:00:05.000Z',
}

/** A catalog item as stored and published (`item.upserted`). */
export const Item = Type.Object(
  {
    itemId: ExternalId,
    ...ItemContentFields,
    createdAt: Type.String({ format: 'date-time', description: 'When Attune first stored it' }),
    updatedAt: Type.String({ format: 'date-time', description: 'When its content last changed' }),
  },
  { $id: 'Item', additionalProperties: false, examples: [itemExample] },
)
export type Item = Static<typeof Item>

/** `data` of `item.upserted` on `attune.items`: the whole item after a change (an unchanged upsert publishes nothing). */
export const ItemUpsertedData = Type.Object(
  { item: Item, created: Type.Boolean({ description: 'True when the item was new' }) },
  { $id: 'ItemUpsertedData', additionalProperties: false },
)
export type ItemUpsertedData = Static<typeof ItemUpsertedData>

/** The envelope of `item.upserted`; subject = item id. */
export const ItemUpserted = EventEnvelope(ItemUpsertedData, 'ItemUpserted')
export type ItemUpserted = Static<typeof ItemUpserted>

/** `data` of `item.removed` on `attune.items`: the item left the catalog. */
export const ItemRemovedData = Type.Object(
  { itemId: ExternalId, removedAt: Type.String({ format: 'date-time' }) },
  { $id: 'ItemRemovedData', additionalProperties: false },
)
export type ItemRemovedData = Static<typeof ItemRemovedData>

/** The envelope of `item.removed`; subject = item id. */
export const ItemRemoved = EventEnvelope(ItemRemovedData, 'ItemRemoved')
export type ItemRemoved = Static<typeof ItemRemoved>
