import { AppError, errors } from '@attune/kit'
import type { Strategy } from '../db.ts'
import type { PlanWindow } from '../domain/plan-deliveries.ts'

/** Longest window a campaign may be planned over. */
export const MAX_WINDOW_DAYS = 14

// Planning looks up to ten days past a send (activity, quiet hours, a day's slack): past this, its
// instants reach the year 10000, which a Date cannot be sent to Postgres as (a 500 before).
const LATEST = Date.parse('9999-12-01T00:00:00Z')
const LATEST_MESSAGE = 'must be before 9999-12-01'

/** Checks the timing fields against the strategy and `now`; returns the effective send time or window. */
export function checkTiming(
  strategy: Strategy,
  input: { sendAt?: string | undefined; window?: { start?: string | undefined; end: string } | undefined },
  now: Date,
): { sendAt: Date | null; window: PlanWindow | null } {
  if (strategy === 'fixed') {
    if (!input.sendAt) throw errors.invalid('/sendAt', 'is required for the fixed strategy')
    if (input.window) throw errors.invalid('/window', 'is only for the best_time and audience_best strategies')
    const sendAt = new Date(input.sendAt)
    // A minute of slack for clocks and round trips.
    if (sendAt.getTime() < now.getTime() - 60_000) throw errors.invalid('/sendAt', 'is in the past')
    if (sendAt.getTime() > LATEST) throw errors.invalid('/sendAt', LATEST_MESSAGE)
    return { sendAt: sendAt < now ? now : sendAt, window: null }
  }
  if (input.sendAt) throw errors.invalid('/sendAt', 'is only for the fixed strategy')
  if (!input.window) throw errors.invalid('/window', `is required for the ${strategy} strategy`)
  const end = new Date(input.window.end)
  const requested = input.window.start ? new Date(input.window.start) : now
  if (end <= now) throw errors.invalid('/window/end', 'is in the past')
  if (end.getTime() > LATEST) throw errors.invalid('/window/end', LATEST_MESSAGE)
  if (end <= requested) throw errors.invalid('/window/end', 'must be after window.start')
  const start = requested < now ? now : requested
  if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * 86_400_000)
    throw errors.invalid('/window/end', `is more than ${MAX_WINDOW_DAYS} days after the start`)
  return { sendAt: null, window: { start, end } }
}

/** A request that is well-formed but names something that does not exist (422, naming the field). */
export function unknownField(field: string, message: string): AppError {
  return new AppError('unprocessable', `${field} ${message}`, { errors: [{ field, in: 'body', message }] })
}
