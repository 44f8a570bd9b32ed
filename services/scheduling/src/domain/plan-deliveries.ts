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

export type CampaignTiming =
  | { strategy: 'fixed'; sendAt: Date; notBefore: Date }
  | { strategy: 'best_time' | 'audience_best'; window: PlanWindow; audienceHour: number; audienceReason: string }

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

  // Candidates in preference order, each with its reason.
  let candidates: { at: Date; reason: () => string }[]
  if (holdout) candidates = [{ at: holdout.randomAt, reason: () => 'holdout group: a random time in the window, to measure uplift' }]
  else if (timing.strategy === 'fixed') candidates = [{ at: timing.sendAt, reason: () => 'fixed time' }]
  else if (timing.strategy === 'audience_best' || !r.personalized || !r.hourScores) {
    if (timing.strategy === 'best_time' && !r.personalized)
      notes.push({ guard: 'non_personalized', action: 'fallback', detail: "personalization is off for this user: the audience's best slot" })
    const at = hourInstant(timing.window, timing.audienceHour)
    const reason = () => timing.audienceReason
    candidates = [{ at, reason }]
    if (r.cap) {
      // Other hours of the window, nearest first, in case the cap period of the slot is full.
      const n = windowHours(timing.window)
      const rest = Array.from({ length: n }, (_, i) => i)
        .filter((i) => i !== timing.audienceHour)
        .sort((a, b) => Math.abs(a - timing.audienceHour) - Math.abs(b - timing.audienceHour))
      candidates.push(...rest.map((i) => ({ at: hourInstant(timing.window, i), reason })))
    }
  } else {
    const order = rankHours(r.hourScores)
    candidates = order.map((i) => ({ at: hourInstant(timing.window, i), reason: () => r.explain(i) }))
  }
  const first = candidates[0]
  if (!first) throw new Error('a plan needs at least one candidate time')
  const preferredAt = first.at

  if (r.blocked) {
    notes.push({ guard: r.blocked.guard, action: 'skipped', detail: r.blocked.detail })
    return { status: 'skipped', group, sendAt: preferredAt, preferredAt, reason: first.reason(), notes }
  }

  let capDetail: string | undefined
  let quietDetail: string | undefined
  for (const c of candidates) {
    let at: Date | undefined = c.at
    if (r.quiet) {
      at = moveOutOfQuietHours(c.at, r.timeZone, r.quiet, earliest, latest)
      if (!at) {
        quietDetail ??= `${c.at.toISOString()} is in quiet hours and no allowed edge is inside the window`
        continue
      }
    }
    if (r.cap && !r.cap.hasRoom(at)) {
      capDetail ??= r.cap.describe(at)
      continue
    }
    if (at.getTime() !== c.at.getTime())
      notes.push({ guard: 'quiet_hours', action: 'moved', detail: `moved from ${c.at.toISOString()} (quiet hours) to ${at.toISOString()}` })
    if (c !== first && capDetail) notes.push({ guard: 'frequency_cap', action: 'moved', detail: `${capDetail}; moved to ${at.toISOString()}` })
    r.cap?.take(at)
    return { status: 'scheduled', group, sendAt: at, preferredAt, reason: c.reason(), notes }
  }
  if (capDetail) notes.push({ guard: 'frequency_cap', action: 'skipped', detail: capDetail })
  else notes.push({ guard: 'quiet_hours', action: 'skipped', detail: quietDetail ?? 'in quiet hours' })
  return { status: 'skipped', group, sendAt: preferredAt, preferredAt, reason: first.reason(), notes }
}
