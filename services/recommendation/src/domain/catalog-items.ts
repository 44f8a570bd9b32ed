import { createHash } from 'node:crypto'
import type { Item, ProblemFieldError } from '@attune/contracts'

/** What a client sends for one item; every content field may be left out (defaults below). */
export interface ItemInputFields {
  type?: string
  title?: string | null
  text?: string | null
  url?: string | null
  categories?: string[]
  tags?: string[]
  author?: string | null
  language?: string | null
  publishedAt?: string | null
  expiresAt?: string | null
  hidden?: boolean
  properties?: Record<string, unknown>
}

/** The content of an item with every field present and dates normalised, as stored and hashed. */
export type ItemContent = Omit<Item, 'createdAt' | 'updatedAt'>

export const DEFAULT_ITEM_TYPE = 'article'

const iso = (s: string | null | undefined) => (s ? new Date(s).toISOString() : null)

/** Fills the defaults: type article, nulls, empty lists, not hidden, no properties. PUT replaces, so a missing field is reset. */
export function itemContent(itemId: string, input: ItemInputFields): ItemContent {
  return {
    itemId,
    type: input.type ?? DEFAULT_ITEM_TYPE,
    title: input.title ?? null,
    text: input.text ?? null,
    url: input.url ?? null,
    categories: input.categories ?? [],
    tags: input.tags ?? [],
    author: input.author ?? null,
    language: input.language ?? null,
    publishedAt: iso(input.publishedAt),
    expiresAt: iso(input.expiresAt),
    hidden: input.hidden ?? false,
    properties: input.properties ?? {},
  }
}

/** Checks what the schema cannot: an item may not expire before it is published. Pointers are relative to the item. */
export function itemContentErrors(c: ItemContent): Omit<ProblemFieldError, 'in'>[] {
  if (c.publishedAt && c.expiresAt && c.expiresAt <= c.publishedAt) return [{ field: '/expiresAt', message: 'must be after publishedAt' }]
  return []
}

/** JSON with object keys sorted at every depth, so equal content always serialises the same way. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

/** sha256 (hex) of the canonical content: upserting an item with the same hash changes nothing. */
export function contentHash(c: ItemContent): string {
  return createHash('sha256').update(canonicalJson(c)).digest('hex')
}
