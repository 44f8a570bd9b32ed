import type { Reason, Tier } from '../db.ts'
import { STRIDE, writeAdState } from './ad-state.ts'
import type { LiveAd, PageContext, UserSignals } from './live.ts'
import { CATEGORIES, categoryReason, KEYWORDS, RUN_OF_SITE_REASONS, targetingDims } from './targeting.ts'

/**
 * The ranks of the ads listed under one key, ascending. `sure[i]` is 1 when being listed here
 * decides the ad's targeting and its reasons alone: its campaign sets only this dimension, the
 * key is its first keyword or its only category (or it is run of site, for `open`), and it has
 * no placement list (its blocked categories are checked apart, see TierIndex.blockedId). Keyword
 * lists carry those reasons (`reasons`); a category's come from the page
 * (RequestKeys.categoryReasons).
 */
export interface KeyList {
  ranks: Int32Array
  sure: Uint8Array
  reasons: Reason[] | undefined
}

/**
 * The ads of one format and tier, best optimistic value first (`all`; an ad's position there is
 * its rank), indexed by the one targeting dimension each needs that a request can look up:
 * keywords if it sets any, else categories, else segments, else interests; ads that set none of
 * these are `open`. Every dimension a campaign sets must match, so an ad that its dimension's
 * index does not list for a request cannot match it, and the scan visits only the lists a
 * request names, merged by rank.
 *
 * Packed: the lists hold ranks in typed arrays and what the scan needs per ad sits in arrays by
 * rank, so merging, skipping and most matches read a few contiguous cache lines instead of a
 * dozen objects per ad (after a request's HTTP work the catalog's objects are out of the cache).
 */
export interface TierIndex {
  all: readonly LiveAd[]
  open: KeyList
  byKeyword: ReadonlyMap<string, KeyList>
  byCategory: ReadonlyMap<string, KeyList>
  bySegment: ReadonlyMap<string, KeyList>
  byInterest: ReadonlyMap<string, KeyList>
  /** Per rank, 1 when the campaign has a frequency cap. */
  capped: Uint8Array
  /** Per rank, the campaign's blocked categories as an index into `blockedLists` (0: none); few advertisers, few distinct lists. */
  blockedId: Int32Array
  blockedLists: readonly (readonly string[])[]
  /** Per rank, what the decision reads of the ad and its campaign (see ad-state.ts). */
  state: Float64Array
  /** Per rank, the last scan that visited it (see scanCandidates). */
  scanned: Float64Array
  /**
   * Per rank, what one decision found out about the ad's campaign, kept for the rest of that
   * decision (the same ads are looked at again for every placement of a format): `matchedSeq`
   * is the decision that found `matched`, the targeting that matched or null when it did not or
   * the advertiser blocks the page. Older entries are stale.
   */
  matchedSeq: Float64Array
  matched: (Reason[] | null)[]
}

/** Ads of one format, per tier. */
export type AdsByTier = Readonly<Record<Tier, TierIndex>>

class ListBuilder {
  readonly ranks: number[] = []
  readonly sure: number[] = []

  add(rank: number, sure: boolean) {
    if (this.ranks[this.ranks.length - 1] === rank) return
    this.ranks.push(rank)
    this.sure.push(sure ? 1 : 0)
  }

  build(reasons: Reason[] | undefined): KeyList {
    // Frozen: one array is handed to every decision that shows an ad of this list.
    return { ranks: Int32Array.from(this.ranks), sure: Uint8Array.from(this.sure), reasons: reasons && (Object.freeze(reasons) as Reason[]) }
  }
}

function builderOf(m: Map<string, ListBuilder>, key: string): ListBuilder {
  let b = m.get(key)
  if (!b) {
    b = new ListBuilder()
    m.set(key, b)
  }
  return b
}

const built = (m: Map<string, ListBuilder>, reasons?: (key: string) => Reason[]): Map<string, KeyList> =>
  new Map([...m].map(([k, b]) => [k, b.build(reasons?.(k))]))

/** Indexes ads already in scan order (best first). */
export function indexTier(ads: readonly LiveAd[]): TierIndex {
  const open = new ListBuilder()
  const byKeyword = new Map<string, ListBuilder>()
  const byCategory = new Map<string, ListBuilder>()
  const bySegment = new Map<string, ListBuilder>()
  const byInterest = new Map<string, ListBuilder>()
  const capped = new Uint8Array(ads.length)
  const blockedId = new Int32Array(ads.length)
  const blockedLists: (readonly string[])[] = [[]]
  const blockedIds = new Map<string, number>([['[]', 0]])
  const state = new Float64Array(ads.length * STRIDE)
  for (const [rank, ad] of ads.entries()) {
    const c = ad.campaign
    const t = c.targeting
    const dims = t.dims ?? targetingDims(t)
    const free = !c.placementIds
    const blockedKey = JSON.stringify(c.blockedCategories)
    let id = blockedIds.get(blockedKey)
    if (id === undefined) {
      id = blockedLists.push(c.blockedCategories) - 1
      blockedIds.set(blockedKey, id)
    }
    blockedId[rank] = id
    if (t.keywords.length > 0) for (const [i, k] of t.keywords.entries()) builderOf(byKeyword, k).add(rank, free && dims === KEYWORDS && i === 0)
    else if (t.categories.length > 0) for (const x of t.categories) builderOf(byCategory, x).add(rank, free && dims === CATEGORIES && t.categories.length === 1)
    else if (t.segments.length > 0) for (const x of t.segments) builderOf(bySegment, x).add(rank, false)
    else if (t.interests.length > 0) for (const x of t.interests) builderOf(byInterest, x).add(rank, false)
    else open.add(rank, free && dims === 0)
    capped[rank] = c.frequencyCap ? 1 : 0
    writeAdState(state, rank, ad)
  }
  return {
    all: ads,
    open: open.build(RUN_OF_SITE_REASONS),
    byKeyword: built(byKeyword, (k) => [{ kind: 'keyword', value: k }]),
    byCategory: built(byCategory),
    bySegment: built(bySegment),
    byInterest: built(byInterest),
    capped,
    blockedId,
    blockedLists,
    state,
    scanned: new Float64Array(ads.length),
    matchedSeq: new Float64Array(ads.length),
    matched: ads.map(() => null),
  }
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
  /** Per category of `categories`, the reasons of a campaign that targets only it (see `categoryReason`). */
  categoryReasons: ReadonlyMap<string, Reason[]>
}

/** The page's part of a request's keys, per page object: a cached page (see PageCache) comes back again and again. */
interface PageKeys {
  vocabulary: ReadonlySet<string> | undefined
  words: string[]
  categories: string[]
  categoryReasons: Map<string, Reason[]>
}

const pageKeys = new WeakMap<PageContext, PageKeys>()

function keysOfPage(page: PageContext, vocabulary: ReadonlySet<string> | undefined): PageKeys {
  const known = pageKeys.get(page)
  if (known && known.vocabulary === vocabulary) return known
  const categories = new Set<string>()
  for (const c of [...page.categories, ...page.inferred.map((i) => i.category)]) {
    const parts = c.split('-')
    for (let n = 1; n <= parts.length; n++) categories.add(parts.slice(0, n).join('-'))
  }
  const words = new Set<string>()
  for (const set of [page.keywords, page.words, page.urlWords]) for (const w of set) if (!vocabulary || vocabulary.has(w)) words.add(w)
  const categoryReasons = new Map<string, Reason[]>()
  for (const c of categories) {
    const r = categoryReason(c, page)
    if (r) categoryReasons.set(c, Object.freeze([r]) as Reason[])
  }
  const keys = { vocabulary, words: [...words], categories: [...categories], categoryReasons }
  pageKeys.set(page, keys)
  return keys
}

const NONE: readonly string[] = []

/** The keys of a request; with `vocabulary` (every keyword some campaign targets), only page words in it. */
export function requestKeys(page: PageContext, user: UserSignals | undefined, vocabulary?: ReadonlySet<string>): RequestKeys {
  const { words, categories, categoryReasons } = keysOfPage(page, vocabulary)
  return {
    words,
    categories,
    categoryReasons,
    segments: user && user.segments.size > 0 ? [...user.segments] : NONE,
    interests: user && user.interests.size > 0 ? [...user.interests] : NONE,
  }
}

/** The lists of one scan, the reasons each one's sure entries have, and each one's next position: reused (scans run one at a time, synchronously). */
const lists: KeyList[] = []
const listReasons: (Reason[] | undefined)[] = []
/** How many of `lists` the scan uses (a count, so their storage is kept between scans). */
let listCount = 0
let heads = new Int32Array(16)

function collect(m: ReadonlyMap<string, KeyList>, keys: readonly string[], reasonsOf?: ReadonlyMap<string, Reason[]>) {
  if (m.size === 0) return
  for (const k of keys) {
    const list = m.get(k)
    if (!list) continue
    lists[listCount] = list
    listReasons[listCount] = reasonsOf ? reasonsOf.get(k) : list.reasons
    listCount++
  }
}

/** Numbers each scan, so an ad listed under two of a request's keys is visited once. */
let scanSeq = 0

/**
 * Calls `visit` with the ranks of the ads a request may match, ascending (best first), until it
 * returns false or the lists run out. `sure` is the ad's reasons when the list it came from
 * decides its targeting alone (see KeyList), else undefined (the campaign must be matched).
 */
export function scanCandidates(index: TierIndex, keys: RequestKeys, visit: (rank: number, sure: Reason[] | undefined) => boolean): void {
  listCount = 0
  if (index.open.ranks.length > 0) {
    lists[0] = index.open
    listReasons[0] = index.open.reasons
    listCount = 1
  }
  collect(index.byKeyword, keys.words)
  collect(index.byCategory, keys.categories, keys.categoryReasons)
  collect(index.bySegment, keys.segments)
  collect(index.byInterest, keys.interests)
  const n = listCount
  if (n === 0) return
  if (n === 1) {
    const { ranks, sure } = lists[0] as KeyList
    const reasons = listReasons[0]
    for (let i = 0; i < ranks.length; i++) if (!visit(ranks[i] as number, sure[i] === 1 ? reasons : undefined)) return
    return
  }
  if (heads.length < n) heads = new Int32Array(n * 2)
  for (let l = 0; l < n; l++) heads[l] = 0
  const seq = ++scanSeq
  const scanned = index.scanned
  for (;;) {
    let best = -1
    let bestRank = 0x7fffffff
    for (let l = 0; l < n; l++) {
      const ranks = (lists[l] as KeyList).ranks
      const h = heads[l] as number
      if (h < ranks.length && (ranks[h] as number) < bestRank) {
        bestRank = ranks[h] as number
        best = l
      }
    }
    if (best < 0) return
    const at = heads[best] as number
    heads[best] = at + 1
    if (scanned[bestRank] === seq) continue
    scanned[bestRank] = seq
    if (!visit(bestRank, (lists[best] as KeyList).sure[at] === 1 ? listReasons[best] : undefined)) return
  }
}
