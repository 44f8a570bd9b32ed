import { addDays, isoDate, localTime } from './time-zones.ts'

/** At most `max` deliveries per local calendar day or ISO week (Monday to Sunday) on a channel. */
export interface FrequencyCap {
  max: number
  per: 'day' | 'week'
}

/** The cap period an instant falls in, in the user's time zone: `d:2026-11-25` or `w:2026-11-23` (its Monday). */
export function capPeriod(instant: Date, timeZone: string, per: FrequencyCap['per']): string {
  const l = localTime(instant, timeZone)
  return per === 'day' ? `d:${isoDate(l)}` : `w:${isoDate(addDays(l, -l.weekday))}`
}

/** Counts of deliveries already planned or sent, per cap period. */
export class CapLedger {
  private readonly used = new Map<string, number>()
  private readonly cap: FrequencyCap
  private readonly timeZone: string

  constructor(cap: FrequencyCap, timeZone: string, existing: Iterable<Date>) {
    this.cap = cap
    this.timeZone = timeZone
    for (const t of existing) this.take(t)
  }

  /** True when one more delivery at `instant` stays within the cap. */
  hasRoom(instant: Date): boolean {
    return (this.used.get(capPeriod(instant, this.timeZone, this.cap.per)) ?? 0) < this.cap.max
  }

  take(instant: Date): void {
    const k = capPeriod(instant, this.timeZone, this.cap.per)
    this.used.set(k, (this.used.get(k) ?? 0) + 1)
  }

  describe(instant: Date): string {
    return `${this.cap.max} per ${this.cap.per} already used for ${capPeriod(instant, this.timeZone, this.cap.per).slice(2)}`
  }
}
