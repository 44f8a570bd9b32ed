import { zonedTimeToInstant } from '../domain/time-zones.ts'

/** One user's known habit: the local hours they engage at on weekdays and at weekends. */
export interface Habit {
  userId: string
  timeZone: string
  weekdayHours: number[]
  weekendHour: number
  /** Engagements per day on average. */
  rate: number
  /** Share of engagements at a random waking hour instead of a habit hour. */
  noise: number
  /** When set, the weekday hours change to these from `changeDay` on. */
  changeTo?: { day: number; weekdayHours: number[] }
}

export interface SyntheticOptions {
  users: number
  days: number
  start: Date
  random: () => number
}

const ZONES = ['Europe/Paris', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Sydney', 'UTC']
/** Typical engagement hours people have (morning commute, lunch, evening). */
const HOURS = [7, 8, 9, 12, 13, 17, 18, 19, 20, 21, 22]

export interface SyntheticHistory {
  habits: Habit[]
  /** Time-ordered engagements. */
  events: { userId: string; at: Date }[]
}

function poisson(lambda: number, random: () => number): number {
  const l = Math.exp(-lambda)
  let k = 0
  let p = 1
  do {
    k++
    p *= random()
  } while (p > l)
  return k - 1
}

/**
 * A history with known habits: each user has one or two weekday hours and a weekend hour in their
 * own time zone (eight zones, DST included), engages `rate` times a day on average (0.3–3, Poisson),
 * a share of it at random waking hours; a quarter of the users change their weekday hours halfway.
 */
export function syntheticHistory(o: SyntheticOptions): SyntheticHistory {
  const r = o.random
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T
  const habits: Habit[] = Array.from({ length: o.users }, (_, i) => {
    const weekdayHours = r() < 0.4 ? [pick(HOURS), pick(HOURS)] : [pick(HOURS)]
    const h: Habit = {
      userId: `user-${i}`,
      timeZone: pick(ZONES),
      weekdayHours,
      weekendHour: pick(HOURS),
      rate: 0.3 + r() * 2.7,
      noise: 0.1 + r() * 0.3,
    }
    if (r() < 0.25) h.changeTo = { day: Math.floor(o.days / 2), weekdayHours: [pick(HOURS)] }
    return h
  })
  const events: { userId: string; at: Date }[] = []
  for (let day = 0; day < o.days; day++) {
    const date = new Date(o.start.getTime() + day * 86_400_000)
    const ymd = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6
    for (const h of habits) {
      const hours = weekend ? [h.weekendHour] : h.changeTo && day >= h.changeTo.day ? h.changeTo.weekdayHours : h.weekdayHours
      const n = poisson(h.rate, r)
      for (let k = 0; k < n; k++) {
        const hour = r() < h.noise ? 7 + Math.floor(r() * 17) : (hours[Math.floor(r() * hours.length)] ?? 12)
        const minute = Math.floor(r() * 60)
        events.push({ userId: h.userId, at: zonedTimeToInstant({ ...ymd, hour: hour % 24, minute }, h.timeZone) })
      }
    }
  }
  events.sort((a, b) => a.at.getTime() - b.at.getTime())
  return { habits, events }
}
