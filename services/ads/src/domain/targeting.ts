import type { Reason } from '../db.ts'
import type { LiveTargeting, PageContext, UserSignals } from './live.ts'
import { within } from './taxonomy.ts'

export type TargetingResult = { ok: true; reasons: Reason[] } | { ok: false }

const NO = { ok: false } as const

/** Bits of `targetingDims`. */
const LANGUAGES = 1
const COUNTRIES = 2
const URL = 4
export const KEYWORDS = 8
export const CATEGORIES = 16
const SEGMENTS = 32
const INTERESTS = 64

/** The dimensions a targeting sets, one bit each: the match reads only those lists (none for run of site). */
export function targetingDims(t: LiveTargeting): number {
  return (
    (t.languages.length > 0 ? LANGUAGES : 0) |
    (t.countries.length > 0 ? COUNTRIES : 0) |
    (t.urlContains.length > 0 ? URL : 0) |
    (t.keywords.length > 0 ? KEYWORDS : 0) |
    (t.categories.length > 0 ? CATEGORIES : 0) |
    (t.segments.length > 0 ? SEGMENTS : 0) |
    (t.interests.length > 0 ? INTERESTS : 0)
  )
}

/** The reasons of every run-of-site match: one shared, never modified, array. */
export const RUN_OF_SITE_REASONS: Reason[] = Object.freeze([{ kind: 'untargeted', value: 'run of site' }]) as Reason[]

const RUN_OF_SITE: TargetingResult = { ok: true, reasons: RUN_OF_SITE_REASONS }

/**
 * Whether a campaign's targeting matches: every dimension it sets must match (any of its values);
 * audience dimensions (segments, interests) need a personalized decision, so they never match
 * without `user`. The reasons are what matched, for `why` (callers must not modify them).
 */
export function matchTargeting(t: LiveTargeting, page: PageContext, user: UserSignals | undefined): TargetingResult {
  const dims = t.dims ?? targetingDims(t)
  if (dims === 0) return RUN_OF_SITE
  const reasons: Reason[] = []
  if (dims & LANGUAGES) {
    const lang = page.language
    const hit = lang && t.languages.find((l) => lang === l || lang.startsWith(`${l}-`))
    if (!hit) return NO
    reasons.push({ kind: 'language', value: hit })
  }
  if (dims & COUNTRIES) {
    if (!page.country || !t.countries.includes(page.country)) return NO
    reasons.push({ kind: 'country', value: page.country })
  }
  if (dims & URL) {
    const hit = t.urlContains.find((u) => page.url.includes(u))
    if (!hit) return NO
    reasons.push({ kind: 'url', value: hit })
  }
  if (dims & KEYWORDS) {
    const hit = t.keywords.find((k) => page.keywords.has(k) || page.words.has(k) || page.urlWords.has(k))
    if (!hit) return NO
    reasons.push({ kind: 'keyword', value: hit })
  }
  if (dims & CATEGORIES) {
    let found: Reason | undefined
    for (const target of t.categories) {
      found = categoryReason(target, page)
      if (found) break
    }
    if (!found) return NO
    reasons.push(found)
  }
  if (dims & SEGMENTS) {
    const hit = user && t.segments.find((s) => user.segments.has(s))
    if (!hit) return NO
    reasons.push({ kind: 'segment', value: hit })
  }
  if (dims & INTERESTS) {
    const hit = user && t.interests.find((i) => user.interests.has(i))
    if (!hit) return NO
    reasons.push({ kind: 'interest', value: hit })
  }
  return { ok: true, reasons }
}

/** The page category within `target`: a given one first, else an inferred one; undefined when none is. */
export function categoryReason(target: string, page: PageContext): Reason | undefined {
  // Loops, not find(): a callback closing over `target` was an allocation per campaign matched.
  for (const c of page.categories) if (within(c, target)) return { kind: 'category', value: c }
  for (const c of page.inferred) if (within(c.category, target)) return { kind: 'inferred_category', value: c.category }
  return undefined
}

/** True when the page is in a category the advertiser blocks (brand safety); given and inferred categories both count. */
export function blockedFor(blocked: readonly string[], page: PageContext): boolean {
  if (blocked.length === 0) return false
  for (const b of blocked) {
    for (const c of page.categories) if (within(c, b)) return true
    for (const c of page.inferred) if (within(c.category, b)) return true
  }
  return false
}

/** True while the user saw the campaign fewer than `max` times within the last `windowSeconds`. */
export function underCap(
  cap: { max: number; windowSeconds: number } | null,
  impressions: ReadonlyMap<string, readonly number[]>,
  campaignId: string,
  now: number,
): boolean {
  if (!cap || impressions.size === 0) return true
  const seen = impressions.get(campaignId)
  if (!seen) return true
  const since = now - cap.windowSeconds * 1000
  let n = 0
  for (const t of seen) if (t > since) n++
  return n < cap.max
}
