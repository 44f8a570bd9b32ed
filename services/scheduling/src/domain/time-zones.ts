// Time zone arithmetic on Node's built-in Intl (ICU's tz database), so no dependency: an instant's
// local wall time, and a local wall time's instant across DST gaps and overlaps.

const HOUR_MS = 3_600_000
const formatters = new Map<string, Intl.DateTimeFormat>()

/** True when this runtime knows `timeZone` (IANA names and their aliases). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** A wall-clock time in some zone; `weekday` 0 = Monday … 6 = Sunday. */
export interface LocalTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  weekday: number
}

// Planning asks for the same few instants (the window's hours) in the same few zones for every
// user: answers are memoised per zone and instant (numeric keys: no key string per lookup),
// bounded so a long-running process does not grow without limit.
const memo = new Map<string, Map<number, LocalTime>>()
let memoSize = 0
const MEMO_MAX = 200_000

/** The wall-clock time of `instant` in `timeZone`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const t = instant.getTime()
  let zone = memo.get(timeZone)
  const hit = zone?.get(t)
  if (hit) return hit
  const l = computeLocalTime(instant, timeZone)
  if (memoSize >= MEMO_MAX) {
    memo.clear()
    memoSize = 0
    zone = undefined
  }
  if (!zone) {
    zone = new Map()
    memo.set(timeZone, zone)
  }
  zone.set(t, l)
  memoSize++
  return l
}

function computeLocalTime(instant: Date, timeZone: string): LocalTime {
  const parts = formatter(timeZone).formatToParts(instant)
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  const year = get('year')
  const month = get('month')
  const day = get('day')
  // Day of week of the local date (proleptic Gregorian, from a UTC date of the same y/m/d).
  const weekday = (new Date(utcMs(year, month, day)).getUTCDay() + 6) % 7
  return { year, month, day, hour: get('hour'), minute: get('minute'), weekday }
}

/**
 * `Date.UTC` of a calendar date and wall time (`month` 1–12; days past the month's end roll over)
 * for every year: `Date.UTC` itself reads years 0–99 as 1900–1999.
 */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute)
  return d.getTime()
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Paris in winter: 60). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const l = localTime(instant, timeZone)
  const asUtc = utcMs(l.year, l.month, l.day, l.hour, l.minute)
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000)
}

/** Hour of week 0..167 (Monday 00:00–00:59 is 0) of a local time. */
export function hourOfWeek(l: Pick<LocalTime, 'weekday' | 'hour'>): number {
  return l.weekday * 24 + l.hour
}

/**
 * The instant a local wall time happens in `timeZone`. In a DST gap (02:30 on a spring-forward
 * night) it is pushed forward by the jump (03:30); in an overlap (01:30 twice in autumn) it is the
 * first of the two.
 */
export function zonedTimeToInstant(l: Pick<LocalTime, 'year' | 'month' | 'day' | 'hour' | 'minute'>, timeZone: string): Date {
  const naive = utcMs(l.year, l.month, l.day, l.hour, l.minute)
  // Try the offsets in force a day either side: one of them gives back the wall time asked for.
  const candidates = [...new Set([offsetMinutes(new Date(naive - 24 * HOUR_MS), timeZone), offsetMinutes(new Date(naive + 24 * HOUR_MS), timeZone)])]
  const matches = candidates
    .map((o) => naive - o * 60_000)
    .filter((t) => {
      const back = localTime(new Date(t), timeZone)
      return back.hour === l.hour && back.minute === l.minute && back.day === l.day
    })
    .sort((a, b) => a - b)
  if (matches[0] !== undefined) return new Date(matches[0])
  // A gap: the wall time does not exist. Read it with the offset in force before the jump, which
  // pushes it forward by the jump (02:30 → 03:30), as Temporal's 'compatible' disambiguation does.
  return new Date(naive - Math.min(...candidates) * 60_000)
}

/** Adds `days` to a local calendar date (no time zone involved). */
export function addDays(l: Pick<LocalTime, 'year' | 'month' | 'day'>, days: number): { year: number; month: number; day: number } {
  const d = new Date(utcMs(l.year, l.month, l.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** `yyyy-mm-dd` of a local date. */
export function isoDate(l: Pick<LocalTime, 'year' | 'month' | 'day'>): string {
  return `${String(l.year).padStart(4, '0')}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`
}

/**
 * For each whole UTC hour from `start` (floored to the hour) for `hours` hours: the local hour of
 * week in `timeZone`. Computed once per zone and reused for every user in it.
 */
export function localHoursOfWeek(start: Date, hours: number, timeZone: string): Int16Array {
  const out = new Int16Array(hours)
  const t0 = Math.floor(start.getTime() / HOUR_MS) * HOUR_MS
  for (let i = 0; i < hours; i++) out[i] = hourOfWeek(localTime(new Date(t0 + i * HOUR_MS), timeZone))
  return out
}
