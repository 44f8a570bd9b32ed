import { ALL_CHANNELS, type Engagement } from './engagement.ts'
import { forwardWeight } from './forward-decay.ts'
import { hourOfWeek, localTime } from './time-zones.ts'

export const BINS = 168

/** What one batch adds to one activity row: forward-decayed weights per local hour of week. */
export interface ActivityIncrement {
  key: string
  channel: string
  bins: Float64Array
  events: number
  firstAt: Date
  lastAt: Date
}

export interface IncrementOptions {
  halfLifeDays: number
  /** The time zone each user's bins are kept in. */
  timeZoneOf: (userId: string) => string
  /** Segments each user is in (their audience rows get the same increments). */
  segmentsOf: (userId: string) => readonly string[]
}

/**
 * Sums a batch into one increment per (user, channel) — the engagement's channel and `all` — and one
 * per (audience scope, channel), so the store writes each row once per batch.
 */
export function activityIncrements(engagements: Engagement[], o: IncrementOptions): { users: ActivityIncrement[]; audiences: ActivityIncrement[] } {
  const users = new Map<string, ActivityIncrement>()
  const audiences = new Map<string, ActivityIncrement>()
  const add = (map: Map<string, ActivityIncrement>, key: string, channel: string, bin: number, w: number, at: Date) => {
    const id = `${key}\u0000${channel}`
    let inc = map.get(id)
    if (!inc) {
      inc = { key, channel, bins: new Float64Array(BINS), events: 0, firstAt: at, lastAt: at }
      map.set(id, inc)
    }
    inc.bins[bin] = (inc.bins[bin] ?? 0) + w
    inc.events++
    if (at < inc.firstAt) inc.firstAt = at
    if (at > inc.lastAt) inc.lastAt = at
  }
  for (const e of engagements) {
    const bin = hourOfWeek(localTime(e.at, o.timeZoneOf(e.userId)))
    const w = e.weight * forwardWeight(e.at, o.halfLifeDays)
    const channels = e.channel ? [ALL_CHANNELS, e.channel] : [ALL_CHANNELS]
    const scopes = ['population', ...o.segmentsOf(e.userId).map((s) => `segment:${s}`)]
    for (const c of channels) {
      add(users, e.userId, c, bin, w, e.at)
      for (const s of scopes) add(audiences, s, c, bin, w, e.at)
    }
  }
  return { users: [...users.values()], audiences: [...audiences.values()] }
}

/**
 * Moves bins kept in one time zone to another by the offset difference at `at` (a user who sets a
 * time zone after their history was binned in the default one): bin h goes to h + Δhours.
 */
export function shiftBins(bins: readonly number[], deltaMinutes: number): number[] {
  const shift = Math.round(deltaMinutes / 60)
  const out = new Array<number>(BINS).fill(0)
  for (let h = 0; h < BINS; h++) out[(((h + shift) % BINS) + BINS) % BINS] = bins[h] ?? 0
  return out
}
