import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { AdsDb, Reason } from '../db.ts'
import { type DecisionRow, type DecisionView, findDecision, recordDecisions } from '../store/decisions-store.ts'

/**
 * Records decisions (for `why` and off-policy evaluation) without a write per request: rows are
 * buffered and written together every `flushMs`; recent ones are answered from memory. A crash
 * loses at most the last interval's rows: their `why` then answers 404, their tracking still
 * counts (tracking links carry what they need).
 */
export class DecisionLog {
  private buffer: DecisionRow[] = []
  private readonly recent = new Map<string, DecisionRow>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private readonly db: Kysely<AdsDb>
  private readonly o: { flushMs: number; maxBuffered: number; recentMax: number; log?: Logger }

  constructor(db: Kysely<AdsDb>, o: { flushMs: number; maxBuffered: number; recentMax: number; log?: Logger }) {
    this.db = db
    this.o = o
  }

  record(rows: DecisionRow[]): void {
    for (const row of rows) {
      this.buffer.push(row)
      this.recent.set(row.decisionId, row)
      if (this.recent.size > this.o.recentMax) this.recent.delete(this.recent.keys().next().value as string)
    }
    if (this.buffer.length >= this.o.maxBuffered) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs)
  }

  async find(decisionId: string): Promise<DecisionView | undefined> {
    const mine = this.recent.get(decisionId)
    if (mine) return { ...mine, userId: mine.userId ?? null, reasons: JSON.parse(mine.reasons) as Reason[], createdAt: new Date(mine.createdAt) }
    return findDecision(this.db, decisionId)
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined
      if (this.buffer.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs)
    })
    return this.flushing
  }

  /** Erasure: nothing of this user is written any more, or answered from memory. */
  forget(userId: string): void {
    this.buffer = this.buffer.filter((r) => r.userId !== userId)
    for (const [id, r] of this.recent) if (r.userId === userId) this.recent.delete(id)
  }

  private async write(): Promise<void> {
    const batch = this.buffer
    if (batch.length === 0) return
    this.buffer = []
    try {
      await recordDecisions(this.db, batch)
    } catch (err) {
      this.o.log?.warn({ err, decisions: batch.length }, 'decisions not written; retrying')
      this.buffer = [...batch, ...this.buffer].slice(-this.o.maxBuffered * 20)
      await new Promise((r) => setTimeout(r, this.o.flushMs))
    }
  }

  async close(): Promise<void> {
    await this.flushing
    await this.flush()
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
