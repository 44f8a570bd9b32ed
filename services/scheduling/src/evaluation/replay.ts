import { BINS } from '../domain/activity-increments.ts'
import { forwardWeight } from '../domain/forward-decay.ts'
import { localHoursOfWeek } from '../domain/time-zones.ts'
import { audienceProfile, type ModelOptions, userActivity } from '../domain/user-activity.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

export interface ReplayOptions {
  /** Days at the end of the history that are predicted, one after another. */
  evalDays: number
  model: ModelOptions
  timeZoneOf: (userId: string) => string
  random: () => number
  /** Hours predicted per user and day. */
  top?: number
}

/** How many next-day engagements fell in the predicted hours, per method. */
export interface ReplayResult {
  method: string
  /** Share of next-day engagements inside the predicted hours (micro average). */
  hitRate: number
  /** The same, averaged per user-day first (every active user-day weighs the same). */
  userDayHitRate: number
  engagements: number
  userDays: number
}

/** Indexes (0..23) of the `k` largest of `scores`, ties to the earlier. */
function topK(scores: ArrayLike<number>, k: number): Set<number> {
  return new Set(
    Array.from({ length: scores.length }, (_, i) => i)
      .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b)
      .slice(0, k),
  )
}

/**
 * Replays a time-ordered history day by day over its last `evalDays` days: before each day, every
 * method predicts each user's top hours (of the 24 UTC hours of that day, i.e. of their local
 * hours) from what came before; the day's engagements are then scored against them, and learned.
 * Methods: the activity model; the global best hours (the population's most engaged local hours
 * of day); the user's most recent hours (their last distinct local hours); random hours.
 */
export function replay(events: { userId: string; at: Date }[], o: ReplayOptions): ReplayResult[] {
  const k = o.top ?? 3
  const h = o.model.halfLifeDays
  const userBins = new Map<string, Float64Array>()
  const userCounts = new Map<string, { events: number; first: Date; last: Date }>()
  const recent = new Map<string, number[]>()
  const population = new Float64Array(BINS)
  let populationEvents = 0
  const hourOfDayCounts = new Float64Array(24)
  const methods = ['activity model', 'global best hour', 'most recent hour', 'random'] as const
  const hits = new Map<string, { hits: number; total: number; userDayRate: number; userDays: number }>(
    methods.map((m) => [m, { hits: 0, total: 0, userDayRate: 0, userDays: 0 }]),
  )

  const first = events[0]?.at.getTime() ?? 0
  const last = events.at(-1)?.at.getTime() ?? 0
  const endDay = Math.floor(last / DAY_MS) * DAY_MS
  const evalStart = endDay - (o.evalDays - 1) * DAY_MS
  const zoneHours = new Map<string, Int16Array>()

  const learn = (e: { userId: string; at: Date }, how: number) => {
    const w = forwardWeight(e.at, h)
    let b = userBins.get(e.userId)
    if (!b) {
      b = new Float64Array(BINS)
      userBins.set(e.userId, b)
    }
    b[how] = (b[how] ?? 0) + w
    population[how] = (population[how] ?? 0) + w
    populationEvents++
    hourOfDayCounts[how % 24] = (hourOfDayCounts[how % 24] ?? 0) + 1
    const c = userCounts.get(e.userId)
    userCounts.set(e.userId, c ? { events: c.events + 1, first: c.first, last: e.at } : { events: 1, first: e.at, last: e.at })
    const r = recent.get(e.userId) ?? []
    recent.set(e.userId, [how % 24, ...r.filter((x) => x !== how % 24)].slice(0, k))
  }

  let i = 0
  const howOf = (e: { userId: string; at: Date }, dayStart: number) => {
    const tz = o.timeZoneOf(e.userId)
    const key = `${tz}|${dayStart}`
    let hows = zoneHours.get(key)
    if (!hows) {
      hows = localHoursOfWeek(new Date(dayStart), 24, tz)
      zoneHours.set(key, hows)
    }
    return hows[Math.floor((e.at.getTime() - dayStart) / HOUR_MS)] ?? 0
  }
  for (let day = Math.floor(first / DAY_MS) * DAY_MS; day <= endDay; day += DAY_MS) {
    const todays: { userId: string; at: Date }[] = []
    while (i < events.length && (events[i]?.at.getTime() ?? Infinity) < day + DAY_MS) todays.push(events[i++] as { userId: string; at: Date })
    if (day >= evalStart) {
      const now = new Date(day)
      const audience = audienceProfile({ bins: population, events: populationEvents, firstAt: now, lastAt: now }, [], now, o.model)
      const byUser = new Map<string, number[]>()
      for (const e of todays) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), Math.floor((e.at.getTime() - day) / HOUR_MS)])
      for (const [userId, hoursHit] of byUser) {
        const tz = o.timeZoneOf(userId)
        let hows = zoneHours.get(`${tz}|${day}`)
        if (!hows) {
          hows = localHoursOfWeek(now, 24, tz)
          zoneHours.set(`${tz}|${day}`, hows)
        }
        const bins = userBins.get(userId)
        const c = userCounts.get(userId)
        const a = userActivity({ all: bins && c ? { bins, events: c.events, firstAt: c.first, lastAt: c.last } : undefined }, audience, now, o.model)
        const model = topK(
          Array.from(hows, (x) => a.dist[x] ?? 0),
          k,
        )
        const global = topK(
          Array.from(hows, (x) => hourOfDayCounts[x % 24] ?? 0),
          k,
        )
        const rec = recent.get(userId) ?? []
        const mostRecent = rec.length > 0 ? new Set(Array.from(hows.keys()).filter((j) => rec.includes((hows[j] ?? 0) % 24))) : global
        const random = new Set<number>()
        while (random.size < k) random.add(Math.floor(o.random() * 24))
        for (const [method, set] of [
          ['activity model', model],
          ['global best hour', global],
          ['most recent hour', mostRecent],
          ['random', random],
        ] as const) {
          const s = hits.get(method)
          if (!s) continue
          const n = hoursHit.filter((x) => set.has(x)).length
          s.hits += n
          s.total += hoursHit.length
          s.userDayRate += n / hoursHit.length
          s.userDays++
        }
      }
    }
    for (const e of todays) learn(e, howOf(e, day))
  }
  return methods.map((m) => {
    const s = hits.get(m) ?? { hits: 0, total: 0, userDayRate: 0, userDays: 0 }
    const round = (x: number) => Math.round(x * 10_000) / 10_000
    return {
      method: m,
      hitRate: round(s.total ? s.hits / s.total : 0),
      userDayHitRate: round(s.userDays ? s.userDayRate / s.userDays : 0),
      engagements: s.total,
      userDays: s.userDays,
    }
  })
}
