import type { DeliveryGroup, DeliveryNote } from '../db.ts'
import type { CapLedger } from './frequency-caps.ts'
import { moveOutOfQuietHours, type QuietHours } from './quiet-hours.ts'

const HOUR_MS = 3_600_000

/** What the planner knows about one recipient, the guards included. */
export interface Recipient {
  userId: string
  timeZone: string
  quiet: QuietHours | undefined
  /** The cap ledger for this channel, holding the deliveries already planned or sent; undefined = no cap. */
  cap: CapLedger | undefined
  /** Why the user cannot get this channel (opt-in off, consent refused), if so. */
  blocked: { guard: 'opt_in' | 'consent'; detail: string } | undefined
  /** False under the non-personalized switch or without personalization consent. */
  personalized: boolean
  /** Score of each UTC hour of the window (index i = windowStart hour + i), from the user's activity; undefined = no model needed. */
  hourScores: Float32Array | undefined
  /** Why these scores: the human reason of the best hour (also given when a cap moves the delivery: a note says so). */
  explain: (hourIndex: number) => string
}

export interface PlanWindow {
  start: Date
  end: Date
}

export type Plan =
  | { status: 'scheduled'; group: DeliveryGroup; sendAt: Date; preferredAt: Date; reason: string; notes: DeliveryNote[] }
  | { status: 'skipped'; group: DeliveryGroup; sendAt: Date; preferredAt: Date; reason: string; notes: DeliveryNote[] }

/** The window hour most of the audience engages in, and why: known once every recipient is scored. */
export interface AudienceSlot {
  hour: number
  reason: string
}

export type CampaignTiming =
  | { strategy: 'fixed'; sendAt: Date; notBefore: Date }
  | { strategy: 'best_time' | 'audience_best'; window: PlanWindow; audience: AudienceSlot | undefined }

/** The instant of window hour `i`: its start, or the window start for the first, partial hour. */
export function hourInstant(window: PlanWindow, i: number): Date {
  const t = Math.floor(window.start.getTime() / HOUR_MS) * HOUR_MS + i * HOUR_MS
  return new Date(Math.max(t, window.start.getTime()))
}

/** Whole or partial UTC hours a window touches. */
export function windowHours(window: PlanWindow): number {
  return Math.ceil((window.end.getTime() - Math.floor(window.start.getTime() / HOUR_MS) * HOUR_MS) / HOUR_MS)
}

/** Scores → window hour indexes, best first (ties: earlier first). */
function rankHours(scores: Float32Array): number[] {
  return Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b)
}

/** The best window hour (ties: earliest): the first of `rankHours`, without sorting. */
function bestHour(scores: Float32Array): number {
  let best = 0
  for (let i = 1; i < scores.length; i++) if ((scores[i] ?? 0) > (scores[best] ?? 0)) best = i
  return best
}

/** Window hours other than `hour`, nearest first (ties: earlier first). */
function hoursAround(hour: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
    .filter((i) => i !== hour)
    .sort((a, b) => Math.abs(a - hour) - Math.abs(b - hour) || a - b)
}

/**
 * The times a recipient may get, in preference order, made as they are tried: most recipients
 * take their first candidate, so the full ranking (and a Date per hour) is only built when a
 * guard refuses it.
 */
interface Candidates {
  count: number
  at(k: number): Date
  reason(k: number): string
}

function candidatesOf(r: Recipient, timing: CampaignTiming, holdout: { randomAt: Date } | undefined, notes: DeliveryNote[]): Candidates {
  if (holdout) return { count: 1, at: () => holdout.randomAt, reason: () => 'holdout group: a random time in the window, to measure uplift' }
  if (timing.strategy === 'fixed') return { count: 1, at: () => timing.sendAt, reason: () => 'fixed time' }
  const { window } = timing
  if (timing.strategy === 'audience_best' || !r.personalized || !r.hourScores) {
    const slot = timing.audience
    if (!slot) throw new Error(`${r.userId} needs the audience's slot, which is only known once every recipient is scored`)
    if (timing.strategy === 'best_time' && !r.personalized)
      notes.push({ guard: 'non_personalized', action: 'fallback', detail: "personalization is off for this user: the audience's best slot" })
    // Other hours of the window, nearest first, in case the cap period of the slot is full.
    let rest: number[] | undefined
    const hourAt = (k: number) => {
      if (k === 0) return slot.hour
      rest ??= hoursAround(slot.hour, windowHours(window))
      return rest[k - 1] ?? slot.hour
    }
    return { count: r.cap ? windowHours(window) : 1, at: (k) => hourInstant(window, hourAt(k)), reason: () => slot.reason }
  }
  const scores = r.hourScores
  const best = bestHour(scores)
  let order: number[] | undefined
  const hourAt = (k: number) => {
    if (k === 0) return best
    order ??= rankHours(scores)
    return order[k] ?? best
  }
  return { count: scores.length, at: (k) => hourInstant(window, hourAt(k)), reason: (k) => r.explain(hourAt(k)) }
}

/** True when a recipient's plan takes the audience's slot (audience strategy, personalization off, or no scores). */
export function needsAudienceSlot(r: Recipient, timing: CampaignTiming, holdout: boolean): boolean {
  return !holdout && timing.strategy !== 'fixed' && (timing.strategy === 'audience_best' || !r.personalized || !r.hourScores)
}

/**
 * Plans one recipient: the strategy's time (or, for the holdout group, `randomAt`), then the guards
 * in order — opt-in and consent (skip), quiet hours (move to the nearest allowed edge inside the
 * window), frequency cap (next best hour with room, else skip). Every move and skip is noted.
 * The cap ledger takes the planned delivery.
 */
export function planRecipient(r: Recipient, timing: CampaignTiming, holdout: { randomAt: Date } | undefined): Plan {
  const notes: DeliveryNote[] = []
  const group: DeliveryGroup = holdout ? 'holdout' : 'personalized'
  const earliest = timing.strategy === 'fixed' ? timing.notBefore : timing.window.start
  const latest = timing.strategy === 'fixed' ? new Date(timing.sendAt.getTime() + 24 * HOUR_MS) : timing.window.end
  const candidates = candidatesOf(r, timing, holdout, notes)
  const preferredAt = candidates.at(0)

  if (r.blocked) {
    notes.push({ guard: r.blocked.guard, action: 'skipped', detail: r.blocked.detail })
    return { status: 'skipped', group, sendAt: preferredAt, preferredAt, reason: candidates.reason(0), notes }
  }

  let capDetail: string | undefined
  let quietDetail: string | undefined
  for (let k = 0; k < candidates.count; k++) {
    const wanted = k === 0 ? preferredAt : candidates.at(k)
    let at: Date | undefined = wanted
    if (r.quiet) {
      at = moveOutOfQuietHours(wanted, r.timeZone, r.quiet, earliest, latest)
      if (!at) {
        quietDetail ??= `${wanted.toISOString()} is in quiet hours and no allowed edge is inside the window`
        continue
      }
    }
    if (r.cap && !r.cap.hasRoom(at)) {
      capDetail ??= r.cap.describe(at)
      continue
    }
    if (at.getTime() !== wanted.getTime())
      notes.push({ guard: 'quiet_hours', action: 'moved', detail: `moved from ${wanted.toISOString()} (quiet hours) to ${at.toISOString()}` })
    if (k > 0 && capDetail) notes.push({ guard: 'frequency_cap', action: 'moved', detail: `${capDetail}; moved to ${at.toISOString()}` })
    r.cap?.take(at)
    return { status: 'scheduled', group, sendAt: at, preferredAt, reason: candidates.reason(k), notes }
  }
  if (capDetail) notes.push({ guard: 'frequency_cap', action: 'skipped', detail: capDetail })
  else notes.push({ guard: 'quiet_hours', action: 'skipped', detail: quietDetail ?? 'in quiet hours' })
  return { status: 'skipped', group, sendAt: preferredAt, preferredAt, reason: candidates.reason(0), notes }
}
