import type { Tier } from '../db.ts'
import type { LiveAd, PageContext, UserSignals } from './live.ts'

/**
 * The ads of one format and tier, best optimistic value first (`all`), indexed by the one
 * targeting dimension each needs that a request can look up: keywords if it sets any, else
 * categories, else segments, else interests; ads that set none of these are `open`. Every
 * dimension a campaign sets must match, so an ad that its dimension's index does not list for a
 * request cannot match it, and the scan visits only the lists a request names, merged by `rank`.
 */
export interface TierIndex {
  all: readonly LiveAd[]
  open: readonly LiveAd[]
  byKeyword: ReadonlyMap<string, readonly LiveAd[]>
  byCategory: ReadonlyMap<string, readonly LiveAd[]>
  bySegment: ReadonlyMap<string, readonly LiveAd[]>
  byInterest: ReadonlyMap<string, readonly LiveAd[]>
}

/** Ads of one format, per tier. */
export type AdsByTier = Readonly<Record<Tier, TierIndex>>

function add(m: Map<string, LiveAd[]>, key: string, ad: LiveAd) {
  const list = m.get(key)
  if (!list) m.set(key, [ad])
  else if (list[list.length - 1] !== ad) list.push(ad)
}

/** Indexes ads already in scan order (best first); sets each ad's `rank` to its position. */
export function indexTier(ads: readonly LiveAd[]): TierIndex {
  const open: LiveAd[] = []
  const byKeyword = new Map<string, LiveAd[]>()
  const byCategory = new Map<string, LiveAd[]>()
  const bySegment = new Map<string, LiveAd[]>()
  const byInterest = new Map<string, LiveAd[]>()
  for (const [rank, ad] of ads.entries()) {
    ad.rank = rank
    const t = ad.campaign.targeting
    if (t.keywords.length > 0) for (const k of t.keywords) add(byKeyword, k, ad)
    else if (t.categories.length > 0) for (const c of t.categories) add(byCategory, c, ad)
    else if (t.segments.length > 0) for (const s of t.segments) add(bySegment, s, ad)
    else if (t.interests.length > 0) for (const i of t.interests) add(byInterest, i, ad)
    else open.push(ad)
  }
  return { all: ads, open, byKeyword, byCategory, bySegment, byInterest }
}

/** Ads per tier, each list indexed (for callers holding plain lists, such as tests). */
export function indexByTier(byTier: Readonly<Record<Tier, readonly LiveAd[]>>): AdsByTier {
  return { sponsorship: indexTier(byTier.sponsorship), standard: indexTier(byTier.standard), house: indexTier(byTier.house) }
}

/** What one request can look up in a TierIndex. */
export interface RequestKeys {
  /** Page keywords, text words and URL words. */
  words: readonly string[]
  /** Every given and inferred page category with its parents (IAB17-44 → IAB17-44, IAB17). */
  categories: readonly string[]
  segments: readonly string[]
  interests: readonly string[]
}

/** The page's part of a request's keys, per page object: a cached page (see PageCache) comes back again and again. */
const pageKeys = new WeakMap<PageContext, { vocabulary: ReadonlySet<string> | undefined; words: string[]; categories: string[] }>()

function keysOfPage(page: PageContext, vocabulary: ReadonlySet<string> | undefined): { words: string[]; categories: string[] } {
  const known = pageKeys.get(page)
  if (known && known.vocabulary === vocabulary) return known
  const categories = new Set<string>()
  for (const c of [...page.categories, ...page.inferred.map((i) => i.category)]) {
    const parts = c.split('-')
    for (let n = 1; n <= parts.length; n++) categories.add(parts.slice(0, n).join('-'))
  }
  const words = new Set<string>()
  for (const set of [page.keywords, page.words, page.urlWords]) for (const w of set) if (!vocabulary || vocabulary.has(w)) words.add(w)
  const keys = { vocabulary, words: [...words], categories: [...categories] }
  pageKeys.set(page, keys)
  return keys
}

/** The keys of a request; with `vocabulary` (every keyword some campaign targets), only page words in it. */
export function requestKeys(page: PageContext, user: UserSignals | undefined, vocabulary?: ReadonlySet<string>): RequestKeys {
  const { words, categories } = keysOfPage(page, vocabulary)
  return {
    words,
    categories,
    segments: user ? [...user.segments] : [],
    interests: user ? [...user.interests] : [],
  }
}

function collect(lists: (readonly LiveAd[])[], m: ReadonlyMap<string, readonly LiveAd[]>, keys: readonly string[]) {
  if (m.size === 0) return
  for (const k of keys) {
    const list = m.get(k)
    if (list) lists.push(list)
  }
}

/** Numbers each scan, so an ad listed under two of a request's keys is visited once. */
let scanSeq = 0

/**
 * Calls `visit` with the ads a request may match, in `all` order (best first), until it returns
 * false or the lists run out.
 */
export function scanCandidates(index: TierIndex, keys: RequestKeys, visit: (ad: LiveAd) => boolean): void {
  const lists: (readonly LiveAd[])[] = []
  if (index.open.length > 0) lists.push(index.open)
  collect(lists, index.byKeyword, keys.words)
  collect(lists, index.byCategory, keys.categories)
  collect(lists, index.bySegment, keys.segments)
  collect(lists, index.byInterest, keys.interests)
  if (lists.length === 1) {
    for (const ad of lists[0] as readonly LiveAd[]) if (!visit(ad)) return
    return
  }
  const seq = ++scanSeq
  const at = lists.map(() => 0)
  for (;;) {
    let best = -1
    let bestRank = Number.POSITIVE_INFINITY
    for (let l = 0; l < lists.length; l++) {
      const ad = (lists[l] as readonly LiveAd[])[at[l] as number]
      if (ad && (ad.rank as number) < bestRank) {
        bestRank = ad.rank as number
        best = l
      }
    }
    if (best < 0) return
    const ad = (lists[best] as readonly LiveAd[])[at[best] as number] as LiveAd
    at[best] = (at[best] as number) + 1
    if (ad.scanned === seq) continue
    ad.scanned = seq
    if (!visit(ad)) return
  }
}
