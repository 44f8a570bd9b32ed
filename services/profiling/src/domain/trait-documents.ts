import type { TraitRows } from './profile-traits.ts'
import { decayedWeight, type TraitIncrements } from './trait-increments.ts'

const DAY_MS = 86_400_000
/** Daily counts are kept this many days back from today (the longest trait window is 90 days). */
export const DAYS_KEPT = 90

/**
 * A profile's trait aggregates, as stored in its row (migration 0008) in one map whose keys say
 * what they count: `d:yyyy-mm-dd:type`, `h:hourOfWeek`, `l:language`, `a:kind:value` (an affinity
 * weight as of `affinitiesAsOf`). One map, so a batch writes one row per profile.
 */
export interface TraitDocument {
  daily: Record<string, number>
  affinities: Record<string, number>
  affinitiesAsOf: Date | null
  hours: Record<string, number>
  languages: Record<string, number>
}

/** What one batch adds to one profile: the parameter rows of `profile_traits_add`. */
export interface TraitDelta {
  /** Profile id. */
  u: string
  /** First and last seen in the batch (ISO). */
  f: string
  l: string
  /** The stored map's keys with the amounts to add. */
  c: Record<string, number>
  /** The time the `a:` weights are as of (ISO), null without any. */
  t: string | null
}

/** The stored map split by what it counts (keys without their prefix). */
export function traitDocumentOf(map: Record<string, number>, affinitiesAsOf: Date | null): TraitDocument {
  const doc: TraitDocument = { daily: {}, affinities: {}, affinitiesAsOf, hours: {}, languages: {} }
  for (const [key, n] of Object.entries(map)) {
    const rest = key.slice(2)
    if (key.startsWith('d:')) doc.daily[rest] = n
    else if (key.startsWith('a:')) doc.affinities[rest] = n
    else if (key.startsWith('h:')) doc.hours[rest] = n
    else if (key.startsWith('l:')) doc.languages[rest] = n
  }
  return doc
}

/** The first day (yyyy-mm-dd, UTC) whose counts are kept as of `now`. */
export function firstDayKept(now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return new Date(today - DAYS_KEPT * DAY_MS).toISOString().slice(0, 10)
}

/**
 * `a` and `b` in Unicode code-point order, which is Postgres's `collate "C"` order (UTF-8 bytes).
 * JavaScript's `<` compares UTF-16 code units, which puts a character above U+FFFF (a surrogate
 * pair, 0xD800–0xDFFF) before one in U+E000–U+FFFF. The deltas are cut into several calls that
 * must lock profiles in one order, so the two orders must agree.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates after U+E000–U+FFFF, the rest as they are.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    return x - y
  }
  return a.length - b.length
}

/**
 * A batch's increments as one delta per profile, in profile-id order (`compareCodePoints`).
 * Affinity weights are brought to the profile's latest affinity time (decay is multiplicative, so
 * the decayed weight at any later time is the same); counts for days no longer kept are left out.
 */
export function traitDeltas(inc: TraitIncrements, now: Date): TraitDelta[] {
  const from = firstDayKept(now)
  const byUser = new Map<string, TraitDelta>()
  for (const [u, s] of inc.seen) byUser.set(u, { u, f: s.first.toISOString(), l: s.last.toISOString(), c: {}, t: null })
  for (const r of inc.daily.values()) {
    const d = byUser.get(r.userId)
    if (d && r.day >= from) d.c[`d:${r.day}:${r.eventType}`] = r.count
  }
  const latest = new Map<string, Date>()
  for (const r of inc.affinities.values()) {
    const t = latest.get(r.userId)
    if (!t || r.asOf > t) latest.set(r.userId, r.asOf)
  }
  for (const r of inc.affinities.values()) {
    const d = byUser.get(r.userId)
    const t = latest.get(r.userId)
    if (!d || !t) continue
    d.c[`a:${r.kind}:${r.value}`] = decayedWeight(r.weight, r.asOf, t)
    d.t = t.toISOString()
  }
  for (const r of inc.hours.values()) {
    const d = byUser.get(r.userId)
    if (d) d.c[`h:${r.hourOfWeek}`] = r.count
  }
  for (const r of inc.languages.values()) {
    const d = byUser.get(r.userId)
    if (d) d.c[`l:${r.language}`] = r.count
  }
  return [...byUser.values()].sort((a, b) => compareCodePoints(a.u, b.u))
}

/** The stored maps as the rows traits are computed from (days no longer kept as of `now` left out). */
export function traitRowsOf(doc: TraitDocument, now: Date): Pick<TraitRows, 'daily' | 'affinities' | 'hours' | 'languages'> {
  const from = firstDayKept(now)
  const daily: TraitRows['daily'] = []
  for (const [key, count] of Object.entries(doc.daily)) {
    const day = key.slice(0, 10)
    if (day >= from) daily.push({ day, eventType: key.slice(11), count })
  }
  daily.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0))
  const asOf = doc.affinitiesAsOf
  const affinities: TraitRows['affinities'] = asOf
    ? Object.entries(doc.affinities).map(([key, weight]) => {
        const i = key.indexOf(':')
        return { kind: key.slice(0, i), value: key.slice(i + 1), weight, asOf }
      })
    : []
  return {
    daily,
    affinities,
    hours: Object.entries(doc.hours)
      .map(([h, count]) => ({ hourOfWeek: Number(h), count }))
      .sort((a, b) => a.hourOfWeek - b.hourOfWeek),
    languages: Object.entries(doc.languages).map(([language, count]) => ({ language, count })),
  }
}
