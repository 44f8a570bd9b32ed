import type { Interaction } from '@attune/contracts'

/** Affinity half-life: an interest that is not renewed halves in weight every 14 days. */
export const AFFINITY_HALF_LIFE_MS = 14 * 24 * 3_600_000

/** How much each interaction says about interest in what it touched (negative feedback subtracts). */
export const affinityWeights: Partial<Record<Interaction['type'], number>> = {
  view: 1,
  click: 2,
  dwell: 2,
  like: 3,
  comment: 3,
  share: 4,
  purchase: 5,
  rating: 2,
  follow: 5,
  hide: -2,
  not_interested: -4,
}

export interface TraitIncrements {
  seen: Map<string, { first: Date; last: Date }>
  daily: Map<string, { userId: string; day: string; eventType: string; count: number }>
  affinities: Map<string, { userId: string; kind: string; value: string; weight: number; asOf: Date }>
  hours: Map<string, { userId: string; hourOfWeek: number; count: number }>
  languages: Map<string, { userId: string; language: string; count: number }>
}

/** 0 = Monday 00:00 UTC … 167 = Sunday 23:00 UTC. */
export function hourOfWeek(t: Date): number {
  return ((t.getUTCDay() + 6) % 7) * 24 + t.getUTCHours()
}

function decayTo(weight: number, from: Date, to: Date): number {
  return weight * 0.5 ** ((to.getTime() - from.getTime()) / AFFINITY_HALF_LIFE_MS)
}

/** What an interaction says about interests: its category, topics and author (from properties), or a followed author. */
export function interestsOf(i: Interaction): { kind: 'category' | 'topic' | 'author'; value: string }[] {
  const out: { kind: 'category' | 'topic' | 'author'; value: string }[] = []
  if (i.type === 'follow' && i.targetType === 'author') out.push({ kind: 'author', value: i.targetId })
  const p = i.properties ?? {}
  if (typeof p.category === 'string' && p.category) out.push({ kind: 'category', value: p.category })
  if (typeof p.author === 'string' && p.author) out.push({ kind: 'author', value: p.author })
  if (typeof p.topics === 'string')
    for (const t of p.topics
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      out.push({ kind: 'topic', value: t })
  return out
}

/**
 * Folds interactions (already attributed to a profile id) into the increments the store adds:
 * first/last seen, daily counts per type, decayed affinities (all brought to the latest event
 * time of the batch), hour-of-week activity and languages.
 */
export function foldTraitIncrements(batch: { profileId: string; interaction: Interaction; time: Date }[]): TraitIncrements {
  const inc: TraitIncrements = { seen: new Map(), daily: new Map(), affinities: new Map(), hours: new Map(), languages: new Map() }
  for (const { profileId: userId, interaction: i, time } of batch) {
    if (i.type === 'identify') continue
    const seen = inc.seen.get(userId)
    if (!seen) inc.seen.set(userId, { first: time, last: time })
    else {
      if (time < seen.first) seen.first = time
      if (time > seen.last) seen.last = time
    }
    const day = time.toISOString().slice(0, 10)
    const dk = `${userId}\u0000${day}\u0000${i.type}`
    const d = inc.daily.get(dk)
    if (d) d.count++
    else inc.daily.set(dk, { userId, day, eventType: i.type, count: 1 })

    const base = affinityWeights[i.type]
    if (base !== undefined) {
      const w = i.type === 'rating' ? (i.value - 3) * 1.5 : i.type === 'dwell' ? Math.min(i.seconds / 60, 1) * base : base
      for (const { kind, value } of interestsOf(i)) {
        const k = `${userId}\u0000${kind}\u0000${value}`
        const a = inc.affinities.get(k)
        if (!a) inc.affinities.set(k, { userId, kind, value, weight: w, asOf: time })
        else if (time >= a.asOf) {
          a.weight = decayTo(a.weight, a.asOf, time) + w
          a.asOf = time
        } else a.weight += decayTo(w, time, a.asOf)
      }
    }
    const h = hourOfWeek(time)
    const hk = `${userId}\u0000${h}`
    const hr = inc.hours.get(hk)
    if (hr) hr.count++
    else inc.hours.set(hk, { userId, hourOfWeek: h, count: 1 })
    const locale = i.context?.locale
    if (locale) {
      const language = locale.split(/[-_]/)[0]?.toLowerCase() ?? ''
      const lk = `${userId}\u0000${language}`
      const l = inc.languages.get(lk)
      if (l) l.count++
      else inc.languages.set(lk, { userId, language, count: 1 })
    }
  }
  return inc
}

export function decayedWeight(weight: number, asOf: Date, now: Date): number {
  return decayTo(weight, asOf, now)
}
