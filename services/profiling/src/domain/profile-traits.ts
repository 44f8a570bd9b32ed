import { decayedWeight } from './trait-increments.ts'

export const TRAIT_WINDOWS = [7, 30, 90] as const
const ENGAGING = new Set(['click', 'like', 'share', 'comment', 'purchase', 'dwell'])
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

export interface TraitRows {
  firstSeen: Date | null
  lastSeen: Date | null
  daily: { day: string; eventType: string; count: number }[]
  affinities: { kind: string; value: string; weight: number; asOf: Date }[]
  hours: { hourOfWeek: number; count: number }[]
  languages: { language: string; count: number }[]
  sentiment: { samples: number; compoundSum: number; emotions: Record<string, number> } | undefined
}

export interface ComputedTraits {
  firstSeen: string | null
  lastSeen: string | null
  counts: Record<'7d' | '30d' | '90d', Record<string, number>>
  engagementRate30d: number | null
  topCategories: { value: string; weight: number }[]
  topTopics: { value: string; weight: number }[]
  topAuthors: { value: string; weight: number }[]
  activeHours: { hourOfWeek: number; label: string; share: number }[]
  sentiment: { average: number; dominantEmotion: string; samples: number } | null
  preferredLanguage: string | null
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits

/** The traits a profile shows, from its aggregate rows, as of `now`. */
export function computeTraits(rows: TraitRows, now: Date): ComputedTraits {
  const counts = { '7d': {}, '30d': {}, '90d': {} } as ComputedTraits['counts']
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  for (const r of rows.daily) {
    const ageDays = (today - Date.parse(`${r.day}T00:00:00Z`)) / 86_400_000
    for (const w of TRAIT_WINDOWS) {
      if (ageDays < w) {
        const bucket = counts[`${w}d`]
        bucket[r.eventType] = (bucket[r.eventType] ?? 0) + r.count
      }
    }
  }
  const c30 = counts['30d']
  const views = c30.view ?? 0
  const engaged = Object.entries(c30).reduce((s, [t, n]) => s + (ENGAGING.has(t) ? n : 0), 0)
  const top = (kind: string) =>
    rows.affinities
      .filter((a) => a.kind === kind)
      .map((a) => ({ value: a.value, weight: round(decayedWeight(a.weight, a.asOf, now)) }))
      .filter((a) => a.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.value.localeCompare(b.value))
      .slice(0, 5)
  const totalHours = rows.hours.reduce((s, h) => s + h.count, 0)
  const activeHours = [...rows.hours]
    .sort((a, b) => b.count - a.count || a.hourOfWeek - b.hourOfWeek)
    .slice(0, 3)
    .map((h) => ({
      hourOfWeek: h.hourOfWeek,
      label: `${DAYS[Math.floor(h.hourOfWeek / 24)]} ${String(h.hourOfWeek % 24).padStart(2, '0')}:00 UTC`,
      share: round(h.count / totalHours),
    }))
  const lang = [...rows.languages].sort((a, b) => b.count - a.count || a.language.localeCompare(b.language))[0]
  const s = rows.sentiment
  const dominant = s ? Object.entries(s.emotions).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] : undefined
  return {
    firstSeen: rows.firstSeen?.toISOString() ?? null,
    lastSeen: rows.lastSeen?.toISOString() ?? null,
    counts,
    engagementRate30d: views > 0 ? round(engaged / views) : null,
    topCategories: top('category'),
    topTopics: top('topic'),
    topAuthors: top('author'),
    activeHours,
    sentiment: s && s.samples > 0 ? { average: round(s.compoundSum / s.samples), dominantEmotion: dominant ?? 'neutral', samples: s.samples } : null,
    preferredLanguage: lang?.language ?? null,
  }
}
