import type { Item } from '@attune/contracts'
import { type Kysely, type Selectable, sql } from 'kysely'
import type { ItemsTable, RecommendationDb } from '../db.ts'
import { contentHash, type ItemContent } from '../domain/catalog-items.ts'

type Db = Kysely<RecommendationDb>
type ItemRow = Omit<Selectable<ItemsTable>, 'contentHash'>

const itemColumns = [
  'itemId',
  'type',
  'title',
  'text',
  'url',
  'categories',
  'tags',
  'author',
  'language',
  'publishedAt',
  'expiresAt',
  'hidden',
  'properties',
  'createdAt',
  'updatedAt',
] as const

/** A stored row as the API and `item.upserted` show it. */
export function toItem(r: ItemRow): Item {
  return {
    itemId: r.itemId,
    type: r.type,
    title: r.title,
    text: r.text,
    url: r.url,
    categories: r.categories,
    tags: r.tags,
    author: r.author,
    language: r.language,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    hidden: r.hidden,
    properties: r.properties,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

/** Items an upsert inserted or changed; unchanged ones are absent. */
export interface UpsertedItems {
  created: Item[]
  updated: Item[]
}

/**
 * Inserts or replaces items (ids must be distinct) in one statement: the rows travel as one JSON
 * parameter (no bind-parameter limit), and a row whose content hash is unchanged is not written,
 * so repeating an upsert is a no-op that returns nothing.
 */
export async function upsertItems(db: Db, items: ItemContent[], now: Date): Promise<UpsertedItems> {
  if (items.length === 0) return { created: [], updated: [] }
  const rows = JSON.stringify(
    items.map((c) => ({
      item_id: c.itemId,
      type: c.type,
      title: c.title,
      text: c.text,
      url: c.url,
      categories: c.categories,
      tags: c.tags,
      author: c.author,
      language: c.language,
      published_at: c.publishedAt,
      expires_at: c.expiresAt,
      hidden: c.hidden,
      properties: c.properties,
      content_hash: contentHash(c),
    })),
  )
  const source = sql<Omit<ItemsTable, 'createdAt' | 'updatedAt' | 'properties'> & { properties: string }>`(
    select * from json_to_recordset(${rows}::json) as r(
      item_id text, type text, title text, text text, url text, categories text[], tags text[], author text, language text,
      published_at timestamptz, expires_at timestamptz, hidden boolean, properties jsonb, content_hash text))`.as('x')
  const written = await db
    .insertInto('items')
    .columns([
      'itemId',
      'type',
      'title',
      'text',
      'url',
      'categories',
      'tags',
      'author',
      'language',
      'publishedAt',
      'expiresAt',
      'hidden',
      'properties',
      'contentHash',
      'createdAt',
      'updatedAt',
    ])
    .expression((eb) =>
      eb
        .selectFrom(source)
        .select([
          'x.itemId',
          'x.type',
          'x.title',
          'x.text',
          'x.url',
          'x.categories',
          'x.tags',
          'x.author',
          'x.language',
          'x.publishedAt',
          'x.expiresAt',
          'x.hidden',
          'x.properties',
          'x.contentHash',
          sql<Date>`${now}::timestamptz`.as('createdAt'),
          sql<Date>`${now}::timestamptz`.as('updatedAt'),
        ]),
    )
    .onConflict((oc) =>
      oc
        .column('itemId')
        .doUpdateSet({
          type: sql`excluded.type`,
          title: sql`excluded.title`,
          text: sql`excluded.text`,
          url: sql`excluded.url`,
          categories: sql`excluded.categories`,
          tags: sql`excluded.tags`,
          author: sql`excluded.author`,
          language: sql`excluded.language`,
          publishedAt: sql`excluded.published_at`,
          expiresAt: sql`excluded.expires_at`,
          hidden: sql`excluded.hidden`,
          properties: sql`excluded.properties`,
          contentHash: sql`excluded.content_hash`,
          updatedAt: sql`excluded.updated_at`,
        })
        .where(sql<boolean>`items.content_hash <> excluded.content_hash`),
    )
    .returning([...itemColumns, sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute()
  const out: UpsertedItems = { created: [], updated: [] }
  for (const { inserted, ...row } of written) (inserted ? out.created : out.updated).push(toItem(row))
  return out
}

export async function findItem(db: Db, itemId: string): Promise<Item | undefined> {
  const row = await db.selectFrom('items').select(itemColumns).where('itemId', '=', itemId).executeTakeFirst()
  return row && toItem(row)
}

export interface ItemFilter {
  type?: string
  category?: string
  tag?: string
  author?: string
  language?: string
  hidden?: boolean
}

/** A page of items by id after `afterItemId`, filtered; one extra row tells whether more follow. */
export async function listItems(db: Db, filter: ItemFilter, limit: number, afterItemId?: string): Promise<Item[]> {
  let q = db
    .selectFrom('items')
    .select(itemColumns)
    .orderBy('itemId')
    .limit(limit + 1)
  if (afterItemId !== undefined) q = q.where('itemId', '>', afterItemId)
  if (filter.type !== undefined) q = q.where('type', '=', filter.type)
  if (filter.category !== undefined) q = q.where(sql<boolean>`categories @> array[${filter.category}]::text[]`)
  if (filter.tag !== undefined) q = q.where(sql<boolean>`tags @> array[${filter.tag}]::text[]`)
  if (filter.author !== undefined) q = q.where('author', '=', filter.author)
  if (filter.language !== undefined) q = q.where('language', '=', filter.language)
  if (filter.hidden !== undefined) q = q.where('hidden', '=', filter.hidden)
  return (await q.execute()).map(toItem)
}

/** Deletes items; returns the ids that existed. */
export async function deleteItems(db: Db, itemIds: string[]): Promise<string[]> {
  if (itemIds.length === 0) return []
  const rows = await db
    .deleteFrom('items')
    .where('itemId', 'in', [...new Set(itemIds)])
    .returning('itemId')
    .execute()
  return rows.map((r) => r.itemId)
}

/** An item's content as the content recommender reads it. */
export interface ContentItem {
  itemId: string
  type: string
  title: string | null
  text: string | null
  categories: string[]
  tags: string[]
  author: string | null
  language: string | null
  publishedAt: Date | null
  expiresAt: Date | null
}

/**
 * The recommendable catalog in pages of `pageSize` (default 5,000) walked by id: hidden items and
 * items expired at `now` are left out unless asked for.
 */
export async function* catalogForContent(db: Db, opts: { now: Date; pageSize?: number; includeHidden?: boolean }): AsyncGenerator<ContentItem[]> {
  const pageSize = opts.pageSize ?? 5000
  let after: string | undefined
  for (;;) {
    let q = db
      .selectFrom('items')
      .select(['itemId', 'type', 'title', 'text', 'categories', 'tags', 'author', 'language', 'publishedAt', 'expiresAt'])
      .orderBy('itemId')
      .limit(pageSize)
    if (after !== undefined) q = q.where('itemId', '>', after)
    if (!opts.includeHidden) q = q.where('hidden', '=', false).where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', opts.now)]))
    const page = await q.execute()
    if (page.length > 0) yield page
    const last = page[page.length - 1]
    if (!last || page.length < pageSize) return
    after = last.itemId
  }
}
