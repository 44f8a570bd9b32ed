const DAY_MS = 86_400_000

/** Raw events that happened before this instant are past retention. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS)
}
