import type { LiveCampaign } from './live.ts'

/** What pacing reads of a campaign. */
export type PacingState = Pick<LiveCampaign, 'startAt' | 'endAt' | 'totalBudget' | 'dailyBudget' | 'spent' | 'spentToday' | 'price' | 'pacing'>

const DAY_MS = 86_400_000

/** Spend ahead of the even line by up to this share of the day's budget is allowed (smooths lumpy traffic). */
export const PACING_SLACK = 0.01

/** The UTC day of `now`, as YYYY-MM-DD (budgets and reports are per UTC day). */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10)
}

/**
 * What a campaign may spend today: its daily budget; with none, what is left of the total spread
 * over the days left to its end (all of it today when it has no end).
 */
export function dailyAllowance(c: PacingState, now: number): number {
  const startOfDay = Math.floor(now / DAY_MS) * DAY_MS
  const leftAtDayStart = Math.max(0, c.totalBudget - (c.spent - c.spentToday))
  const spread = c.endAt === null ? leftAtDayStart : leftAtDayStart / Math.max(1, Math.ceil((c.endAt - startOfDay) / DAY_MS))
  return c.dailyBudget === null ? spread : Math.min(c.dailyBudget, spread)
}

/**
 * Whether a campaign may serve now: inside its flight, under its total and daily budgets, and for
 * even pacing not ahead of the straight line from 0 at midnight to the day's allowance at the next
 * (plus PACING_SLACK). A charge lands after the check, so a budget is exceeded by at most one
 * impression's (or click's) price per in-flight decision.
 */
export function canServe(c: PacingState, now: number): boolean {
  if (now < c.startAt || (c.endAt !== null && now >= c.endAt)) return false
  if (c.spent >= c.totalBudget && c.price > 0) return false
  const allowance = dailyAllowance(c, now)
  if (c.price > 0 && c.spentToday >= allowance) return false
  if (c.pacing === 'asap' || c.price === 0) return true
  const elapsed = (now % DAY_MS) / DAY_MS
  return c.spentToday < allowance * Math.min(1, elapsed + PACING_SLACK)
}
