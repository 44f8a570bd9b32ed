import { BINS } from './activity-increments.ts'
import { isQuietMinute, type QuietHours } from './quiet-hours.ts'
import { localHoursOfWeek } from './time-zones.ts'

const HOUR_MS = 3_600_000

/** One ranked slot: a local hour of week, its share of engagement and when it next comes. */
export interface RankedSlot {
  hourOfWeek: number
  score: number
  nextAt: Date
}

/**
 * The `count` best hours of the week by the distribution, quiet hours left out, each with its next
 * start after `now` in `timeZone` (a local hour skipped by a DST jump that week comes the week after).
 */
export function rankBestTimes(dist: Float64Array, timeZone: string, now: Date, count: number, quiet?: QuietHours): RankedSlot[] {
  const order = Array.from({ length: BINS }, (_, h) => h)
    .filter((h) => !quiet || !isQuietMinute((h % 24) * 60, quiet))
    .sort((a, b) => (dist[b] ?? 0) - (dist[a] ?? 0) || a - b)
    .slice(0, count)
  // Two weeks of hours covers every local hour of week, DST jumps included.
  const start = Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS
  const hows = localHoursOfWeek(new Date(start), 2 * BINS, timeZone)
  return order.map((h) => {
    const i = hows.indexOf(h)
    return { hourOfWeek: h, score: dist[h] ?? 0, nextAt: new Date(start + Math.max(0, i) * HOUR_MS) }
  })
}
