const BOT_AGENT = /bot|crawl|spider|slurp|headless|phantom|preview|fetch|curl|wget|python-requests|httpclient/i

/** User agents of crawlers, link previewers and scripts: their hits are not counted. */
export function isBotAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && BOT_AGENT.test(userAgent)
}

/**
 * Counts hits per caller (IP) in fixed one-minute windows; a caller over `maxPerMinute` hits is
 * treated as a bot for the rest of the window. Memory is bounded: the map is cleared each window.
 */
export class RepeatFilter {
  private window = -1
  private readonly counts = new Map<string, number>()
  private readonly maxPerMinute: number

  constructor(maxPerMinute: number) {
    this.maxPerMinute = maxPerMinute
  }

  /** Records a hit; false when the caller is over the limit. */
  allow(caller: string, now: number): boolean {
    const w = Math.floor(now / 60_000)
    if (w !== this.window) {
      this.window = w
      this.counts.clear()
    }
    const n = (this.counts.get(caller) ?? 0) + 1
    this.counts.set(caller, n)
    return n <= this.maxPerMinute
  }
}
