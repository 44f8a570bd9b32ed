import { addDays, type LocalTime, localTime, zonedTimeToInstant } from './time-zones.ts'

/** Quiet hours as minutes of the local day; `start > end` spans midnight; equal means none. */
export interface QuietHours {
  start: number
  end: number
}

/** `HH:MM` → minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** True when the local minute of day falls inside the quiet hours. */
export function isQuietMinute(minute: number, q: QuietHours): boolean {
  if (q.start === q.end) return false
  return q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end
}

export function isQuiet(instant: Date, timeZone: string, q: QuietHours): boolean {
  const l = localTime(instant, timeZone)
  return isQuietMinute(l.hour * 60 + l.minute, q)
}

const at = (l: Pick<LocalTime, 'year' | 'month' | 'day'>, minute: number, timeZone: string) =>
  zonedTimeToInstant({ ...l, hour: Math.floor(minute / 60), minute: minute % 60 }, timeZone)

/** The quiet period around a quiet instant: when it began and when it ends (local edges, DST-safe). */
export function quietPeriod(instant: Date, timeZone: string, q: QuietHours): { start: Date; end: Date } {
  const l = localTime(instant, timeZone)
  const minute = l.hour * 60 + l.minute
  // Started today unless we are past midnight in a period that began yesterday; ends today unless it runs past midnight.
  const startDay = q.start > q.end && minute < q.end ? addDays(l, -1) : l
  const endDay = q.start > q.end && minute >= q.start ? addDays(l, 1) : l
  return { start: at(startDay, q.start, timeZone), end: at(endDay, q.end, timeZone) }
}

/** Latest allowed instant before quiet hours begin: one minute before their start. */
const EDGE_BEFORE_MS = 60_000

/**
 * Moves an instant out of quiet hours to the nearest allowed edge (one minute before they start,
 * or the moment they end) inside [earliest, latest]. Returns the instant unchanged when it is not
 * quiet, or undefined when neither edge fits.
 */
export function moveOutOfQuietHours(instant: Date, timeZone: string, q: QuietHours, earliest: Date, latest: Date): Date | undefined {
  if (!isQuiet(instant, timeZone, q)) return instant
  const p = quietPeriod(instant, timeZone, q)
  const before = new Date(p.start.getTime() - EDGE_BEFORE_MS)
  const candidates = [before, p.end]
    .filter((t) => t >= earliest && t <= latest && !isQuiet(t, timeZone, q))
    .sort((a, b) => Math.abs(a.getTime() - instant.getTime()) - Math.abs(b.getTime() - instant.getTime()))
  return candidates[0]
}
