import type { Logger } from 'pino'
import { RecentMap } from '../recent-map.ts'

export interface WriteBehindOptions<T> {
  /** Rows are written at most this long after they were recorded. */
  flushMs: number
  /** A buffer this full is written at once. */
  maxBuffered: number
  /** Recent rows kept for reading back without a query: the last recentMax at least, twice that at most. */
  recentMax: number
  /** Writes a batch atomically (it must tolerate a row written twice, e.g. ON CONFLICT DO NOTHING). */
  write(rows: T[]): Promise<void>
  idOf(row: T): string
  /** The user a row is about, so erasure can drop it before it is written. */
  userOf(row: T): string | null | undefined
  log?: Logger
  /** Names the rows in logs. */
  what: string
}

/**
 * Rows recorded on the request path without a write per request: buffered and written together
 * every `flushMs`, the recent ones readable from memory. A failed write is kept and tried again
 * (bounded: a long outage drops the oldest). A crash loses at most the last interval's rows.
 */
export class WriteBehindLog<T> {
  private buffer: T[] = []
  /** The batch being written (empty when none): still unwritten until its write succeeds. */
  private inFlight: readonly T[] = []
  private readonly recentRows: RecentMap<string, T>
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private readonly o: WriteBehindOptions<T>

  constructor(o: WriteBehindOptions<T>) {
    this.o = o
    this.recentRows = new RecentMap(o.recentMax)
  }

  get flushMs(): number {
    return this.o.flushMs
  }

  record(rows: readonly T[]): void {
    for (const row of rows) {
      this.buffer.push(row)
      this.recentRows.set(this.o.idOf(row), row)
    }
    if (this.buffer.length >= this.o.maxBuffered) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs)
  }

  /** A row recorded recently by this process, written or not. */
  recent(id: string): T | undefined {
    return this.recentRows.get(id)
  }

  /** Rows recorded and not written yet (the batch being written included), oldest first. */
  *unwritten(): Iterable<T> {
    yield* this.inFlight
    yield* this.buffer
  }

  /** Writes what is buffered now. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined
      if (this.buffer.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs)
    })
    return this.flushing
  }

  /** Erasure: nothing of this user is written any more, or read back from memory. */
  forget(userId: string): void {
    this.buffer = this.buffer.filter((r) => this.o.userOf(r) !== userId)
    // The batch in flight is written anyway (the caller deletes again after it); it is just no longer read back.
    this.inFlight = this.inFlight.filter((r) => this.o.userOf(r) !== userId)
    this.recentRows.deleteWhere((r) => this.o.userOf(r) === userId)
  }

  /**
   * Erasure, once the batch in flight is settled: `forget`, then wait for that batch's write, then
   * forget again what was recorded meanwhile. The caller deletes the user's rows after it, so a
   * batch that was being written when the erasure came is deleted too.
   */
  async forgetAfterWrite(userId: string): Promise<void> {
    this.forget(userId)
    await this.flush()
    this.forget(userId)
  }

  private async write(): Promise<void> {
    const batch = this.buffer
    if (batch.length === 0) return
    this.buffer = []
    this.inFlight = batch
    try {
      await this.o.write(batch)
      this.inFlight = []
    } catch (err) {
      this.o.log?.warn({ err, rows: batch.length }, `${this.o.what} not written; retrying`)
      // What is left of the batch: a user erased while it was being written stays erased.
      this.buffer = [...this.inFlight, ...this.buffer].slice(-this.o.maxBuffered * 20)
      this.inFlight = []
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
