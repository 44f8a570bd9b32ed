import type { AudienceProfile, UserActivity } from './user-activity.ts'

const DAY_NAMES = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays']
const SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`

/** "weekdays", "weekends", "every day", "Tuesdays" or "Mon, Wed and Thu": the days whose hour `h` is near the busiest. */
export function daysLabel(dist: Float64Array, hour: number): string {
  // Plain loops and a bit mask: planning labels one slot for each of 100k users.
  let max = Number.NEGATIVE_INFINITY
  for (let d = 0; d < 7; d++) max = Math.max(max, dist[d * 24 + hour] ?? 0)
  let mask = 0
  for (let d = 0; d < 7; d++) if ((dist[d * 24 + hour] ?? 0) >= 0.7 * max) mask |= 1 << d
  if (mask === 0b0011111) return 'weekdays'
  if (mask === 0b1100000) return 'weekends'
  if (mask === 0b1111111) return 'every day'
  const days: number[] = []
  for (let d = 0; d < 7; d++) if (mask & (1 << d)) days.push(d)
  if (days.length === 1) return DAY_NAMES[days[0] ?? 0] ?? ''
  const names = days.map((d) => SHORT[d])
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** "weekdays 19:00–20:00" for the slot at hour of week `how`. */
export function slotLabel(dist: Float64Array, how: number): string {
  const hour = how % 24
  return `${daysLabel(dist, hour)} ${hh(hour)}–${hh(hour + 1)}`
}

const audienceNames: Record<AudienceProfile['source'], string> = {
  segment: "the user's segments",
  population: 'all users',
  default: 'a default daily rhythm (no audience data yet)',
}

/** The human reason behind a user's best time at hour of week `how`. */
export function explainBestTime(a: UserActivity, audience: AudienceProfile, how: number, channel: string, personalized: boolean): string {
  const slot = slotLabel(a.dist, how)
  if (!personalized) return `non-personalized: audience pattern of ${audienceNames[audience.source]}, busiest on ${slot}`
  if (a.source === 'audience') {
    const n = a.events
    return `too little history (${n} event${n === 1 ? '' : 's'}): audience pattern of ${audienceNames[audience.source]}, busiest on ${slot}`
  }
  const days = a.firstAt && a.lastAt ? Math.max(1, Math.ceil((a.lastAt.getTime() - a.firstAt.getTime()) / 86_400_000)) : 1
  const what = channel === 'all' ? 'engagement' : `${channel} engagement`
  return `most ${what} on ${slot}, ${a.events} events in ${days} day${days === 1 ? '' : 's'}`
}
