import { WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { RecommendationDb } from '../db.ts'
import { findServed, recordServedMany, type ServedSlate } from '../store/served-store.ts'

export interface ServedLogOptions {
  /** Slates are written together at most this long after they were served. */
  flushMs: number
  /** A buffer this full is written at once. */
  maxBuffered: number
  /** Slates this replica served recently, kept for paging without a read. */
  recentMax: number
  log?: Logger
}

/**
 * Records served slates (for paging and click attribution) without a write per request (the kit's
 * WriteBehindLog), answering this replica's recent ones from memory. A cursor minted by another
 * replica that has not flushed yet is looked for again after one flush interval. A crash loses at
 * most the last interval's slates: their cursors then fail as unknown (400), and their clicks
 * still count, without the slate's context.
 */
export class ServedLog {
  private readonly log: WriteBehindLog<ServedSlate>
  private readonly db: Kysely<RecommendationDb>

  constructor(db: Kysely<RecommendationDb>, o: ServedLogOptions) {
    this.db = db
    this.log = new WriteBehindLog<ServedSlate>({
      ...o,
      write: (slates) => recordServedMany(db, slates),
      idOf: (s) => s.recommendationId,
      userOf: (s) => s.userId,
      what: 'served slates',
    })
  }

  record(slate: ServedSlate): void {
    this.log.record([slate])
  }

  async find(recommendationId: string): Promise<ServedSlate | undefined> {
    const mine = this.log.recent(recommendationId)
    if (mine) return mine
    const stored = await findServed(this.db, recommendationId)
    if (stored) return stored
    await new Promise((r) => setTimeout(r, this.log.flushMs * 2))
    return findServed(this.db, recommendationId)
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  forget(userId: string): void {
    this.log.forget(userId)
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
