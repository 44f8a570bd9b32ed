import type { Logger } from 'pino'

interface DaySpend {
  /** Spend in the database at the last read. */
  base: number
  loaded?: Promise<void>
  /** The first read answered. */
  ready: boolean
  readAt: number
  refreshing: boolean
  /** Recorded here and not written yet (the outputs' write-behind log). */
  held: number
  /** Written since `base` was read; `seq` orders them against reads. */
  written: { seq: number; tokens: number }[]
  /** The sum of `written`'s tokens (asked on every request, changed on every write). */
  writtenTokens: number
}

export interface SpendLedgerOptions {
  /** Tokens a key spent on a day, in the database (every replica's writes). */
  read(apiKeyName: string, day: string): Promise<number>
  /** A key's spend is read again, in the background, once it is this old. */
  refreshMs: number
  now: () => number
  log?: Logger
}

/**
 * What each API key spent today, without a query per request: read once per key and day, then
 * kept up to date by this replica's own spend at once and by a background read every `refreshMs`
 * (other replicas' spend). A budget may therefore be overshot by the requests in flight when it
 * runs out, plus what other replicas spent since this one last read it.
 */
export class SpendLedger {
  private readonly days = new Map<string, DaySpend>()
  private seq = 0
  private readonly o: SpendLedgerOptions

  constructor(o: SpendLedgerOptions) {
    this.o = o
  }

  spent(apiKeyName: string, day: string): number | Promise<number> {
    const d = this.entry(apiKeyName, day)
    d.loaded ??= this.read(apiKeyName, day, d).catch((err: unknown) => {
      d.loaded = undefined
      throw err
    })
    if (!d.ready) return d.loaded.then(() => this.total(d))
    if (!d.refreshing && this.o.now() - d.readAt >= this.o.refreshMs) {
      this.read(apiKeyName, day, d).catch((err: unknown) => this.o.log?.warn({ err }, 'token spend not refreshed'))
    }
    return this.total(d)
  }

  /** Tokens spent that will be written later: they count at once. */
  hold(apiKeyName: string, day: string, tokens: number): void {
    this.entry(apiKeyName, day).held += tokens
  }

  /** Tokens written to the database (`held`: they were held until now). */
  written(apiKeyName: string, day: string, tokens: number, held: boolean): void {
    const d = this.entry(apiKeyName, day)
    if (held) d.held -= tokens
    d.written.push({ seq: ++this.seq, tokens })
    d.writtenTokens += tokens
  }

  private total(d: DaySpend): number {
    return d.base + d.held + d.writtenTokens
  }

  private entry(apiKeyName: string, day: string): DaySpend {
    const key = `${apiKeyName}\0${day}`
    let d = this.days.get(key)
    if (!d) {
      // Budgets are per day: yesterday's entries are done with.
      for (const k of this.days.keys()) if (k.slice(k.indexOf('\0') + 1) < day) this.days.delete(k)
      d = { base: 0, ready: false, readAt: 0, refreshing: false, held: 0, written: [], writtenTokens: 0 }
      this.days.set(key, d)
    }
    return d
  }

  // Writes acknowledged before the read was sent are in what it returns; later ones may not be.
  private async read(apiKeyName: string, day: string, d: DaySpend): Promise<void> {
    const since = this.seq
    const at = this.o.now()
    d.refreshing = true
    try {
      const base = await this.o.read(apiKeyName, day)
      d.base = base
      d.readAt = at
      d.ready = true
      d.written = d.written.filter((w) => w.seq > since)
      d.writtenTokens = d.written.reduce((n, w) => n + w.tokens, 0)
    } finally {
      d.refreshing = false
    }
  }
}
