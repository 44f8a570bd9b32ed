// Forward decay (Cormode, Shkapenyuk, Srivastava, Xu, ICDE 2009): an event at time t is stored with
// weight w · 2^((t − L) / h) for a fixed landmark L and half-life h; the decayed weight at `now` is
// that divided by 2^((now − L) / h). Adding a batch is then a plain sum, with no read of the stored
// bins, and ratios between bins need no decay at all. With h = 14 days the values grow
// 2^26 a year, within float64 range for decades; user rows are stored decayed to their own update
// time instead (float32), and only audience rows keep forward units.

/** The landmark: 2026-01-01T00:00Z. */
export const LANDMARK_MS = Date.UTC(2026, 0, 1)
const DAY_MS = 86_400_000

/** Factor an event at `at` is stored with. */
export function forwardWeight(at: Date, halfLifeDays: number): number {
  return 2 ** ((at.getTime() - LANDMARK_MS) / (halfLifeDays * DAY_MS))
}

/** Divides stored values into their decayed weight at `now`. */
export function decayDivisor(now: Date, halfLifeDays: number): number {
  return 2 ** ((now.getTime() - LANDMARK_MS) / (halfLifeDays * DAY_MS))
}
