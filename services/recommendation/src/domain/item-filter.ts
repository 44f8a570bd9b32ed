/** What an item must satisfy to be recommended to this user in this request. */
export interface ItemFilterSpec {
  /** Epoch ms of the request. */
  now: number
  categories?: readonly string[]
  types?: readonly string[]
  authors?: readonly string[]
  languages?: readonly string[]
  maxAgeMs?: number
  /** The user's own choices (profiling preferences). */
  mutedTopics?: readonly string[]
  mutedAuthors?: readonly string[]
  mutedItems?: readonly string[]
  /** Content languages the user reads; items without a language pass. */
  contentLanguages?: readonly string[]
}

export interface FilterableItem {
  type: string
  categories: readonly string[]
  tags: readonly string[]
  author: string | null
  language: string | null
  publishedAt: number | null
}

const setOf = (xs: readonly string[] | undefined) => (xs && xs.length > 0 ? new Set(xs.map((x) => x.toLowerCase())) : undefined)
const primary = (language: string) => language.toLowerCase().split('-')[0] as string

/**
 * A predicate over item ids: request filters (any of the listed categories, types, authors,
 * languages; a maximum age) and the user's mutes, which always apply. Ids the catalog does not know
 * fail, so nothing removed or hidden since the model was trained comes back.
 */
export function itemFilter(spec: ItemFilterSpec, catalog: ReadonlyMap<string, FilterableItem>): (itemId: string) => boolean {
  const categories = setOf(spec.categories)
  const types = setOf(spec.types)
  const authors = setOf(spec.authors)
  const languages = spec.languages && spec.languages.length > 0 ? new Set(spec.languages.map(primary)) : undefined
  const content = spec.contentLanguages && spec.contentLanguages.length > 0 ? new Set(spec.contentLanguages.map(primary)) : undefined
  const mutedTopics = setOf(spec.mutedTopics)
  const mutedAuthors = setOf(spec.mutedAuthors)
  const mutedItems = new Set(spec.mutedItems ?? [])
  const oldest = spec.maxAgeMs === undefined ? undefined : spec.now - spec.maxAgeMs
  if (!categories && !types && !authors && !languages && !content && !mutedTopics && !mutedAuthors && mutedItems.size === 0 && oldest === undefined)
    return (itemId) => catalog.has(itemId)
  return (itemId) => {
    const item = catalog.get(itemId)
    if (!item || mutedItems.has(itemId)) return false
    const author = item.author?.toLowerCase()
    if (author && mutedAuthors?.has(author)) return false
    if (mutedTopics && [...item.categories, ...item.tags].some((t) => mutedTopics.has(t.toLowerCase()))) return false
    if (categories && !item.categories.some((c) => categories.has(c.toLowerCase()))) return false
    if (types && !types.has(item.type.toLowerCase())) return false
    if (authors && !(author && authors.has(author))) return false
    if (languages && !(item.language && languages.has(primary(item.language)))) return false
    if (content && item.language && !content.has(primary(item.language))) return false
    if (oldest !== undefined && (item.publishedAt === null || item.publishedAt < oldest)) return false
    return true
  }
}

/** Splits a comma-separated query value into trimmed, non-empty, distinct parts. */
export function listParam(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const parts = [...new Set(value.split(',').map((p) => p.trim()))].filter((p) => p.length > 0)
  return parts.length > 0 ? parts : undefined
}
