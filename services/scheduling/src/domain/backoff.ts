/** Delay before retry `attempt` (1-based: the first retry waits `baseMs`), doubling each time, capped at a day. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(86_400_000, baseMs * 2 ** Math.max(0, attempt - 1))
}
