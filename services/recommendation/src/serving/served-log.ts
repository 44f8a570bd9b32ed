import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { RecommendationDb } from '../db.ts'
import { findServed, recordServedMany, type ServedSlate } from '../store/served-store.ts'

export interface ServedLogOptions {
  /** Slates are written in one statement at most this long after they were served. */
  flushMs: number
  /** A buffer this full is written at once. */
  maxBuffered: number
  /** Slates this replica served recently, kept for paging without a read. */
  recentMax: number
  log?: Logger
}

/**
 * Records served slates (for paging and click attribution) without a write per request: slates
 * are buffered and written together every `flushMs`, and the recent ones are answered from memory.
 * A cursor minted by another replica that has not flushed yet is looked for again after one
 * flush interval. A crash loses at most the last interval's slates: their cursors then fail as
 * unknown (400), and their clicks still count, without the slate's context.
 */
export class ServedLog {
  private buffer: ServedSlate[] = []
  private readonly recent = new Map<string, ServedSlate>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined

  private readonly db: Kysely<RecommendationDb>
  private readonly o: ServedLogOptions

  constructor(db: Kysely<RecommendationDb>, o: ServedLogOptions) {
    this.db = db
    this.o = o
  }

  record(slate: ServedSlate): void {
    this.buffer.push(slate)
    this.recent.set(slate.recommendationId, slate)
    if (this.recent.size > this.o.recentMax) this.recent.delete(this.recent.keys().next().value as string)
    if (this.buffer.length >= this.o.maxBuffered) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs)
  }

  async find(recommendationId: string): Promise<ServedSlate | undefined> {
    const mine = this.recent.get(recommendationId)
    if (mine) return mine
    const stored = await findServed(this.db, recommendationId)
    if (stored) return stored
    await new Promise((r) => setTimeout(r, this.o.flushMs * 2))
    return findServed(this.db, recommendationId)
  }

  /** Writes what is buffered; a failed write is kept and tried again at the next flush. */
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
    this.buffer = this.buffer.filter((s) => s.userId !== userId)
    for (const [id, s] of this.recent) if (s.userId === userId) this.recent.delete(id)
  }

  private async write(): Promise<void> {
    const batch = this.buffer
    if (batch.length === 0) return
    this.buffer = []
    try {
      await recordServedMany(this.db, batch)
    } catch (err) {
      this.o.log?.warn({ err, slates: batch.length }, 'served slates not written; retrying')
      // Kept for the next flush, within bounds: a long outage drops the oldest.
      this.buffer = [...batch, ...this.buffer].slice(-this.o.maxBuffered * 20)
      await new Promise((r) => setTimeout(r, this.o.flushMs))
    }
  }

  /** Writes what is left (at shutdown). */
  async close(): Promise<void> {
    await this.flushing
    await this.flush()
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
