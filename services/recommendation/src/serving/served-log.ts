import { erasedAfterCollection, erasureLockKey, WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { RecommendationDb } from '../db.ts'
import { eraseServedOf, findServed, recordServedMany, type ServedSlate } from '../store/served-store.ts'

export interface ServedLogOptions {
  /** Slates are written together at most this long after they were served. */
  flushMs: number
  /** A buffer this full is written at once. */
  maxBuffered: number
  /** Slates this replica served recently, kept for paging without a read. */
  recentMax: number
  /** The service's schema: its erasure lock, which each write shares. */
  schema: string
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
    const lockKey = erasureLockKey(o.schema)
    this.log = new WriteBehindLog<ServedSlate>({
      ...o,
      // Under the erasure lock, shared: an erasure either waits for this write and deletes it with
      // the rest, or has committed its tombstones, which drop the slates of requests received before
      // it was asked for (still in flight when `forget` ran) that are recorded only now.
      write: (slates) =>
        db.transaction().execute(async (trx) => {
          const gone = await erasedAfterCollection(
            trx,
            lockKey,
            slates.map((s) => s.servedAt.getTime()),
            (i) => [(slates[i] as ServedSlate).userId],
          )
          await recordServedMany(trx, gone.size === 0 ? slates : slates.filter((_, i) => !gone.has(i)))
        }),
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

  /**
   * Erasure: nothing of this user is written any more, or answered from memory. The batch being
   * written when the erasure came may commit after the erasure's own delete, so once this
   * replica's write in flight is done the user's slates are deleted again (idempotent), as ads'
   * DecisionLog does.
   */
  async forget(userId: string): Promise<void> {
    await this.log.forgetAfterWrite(userId)
    await eraseServedOf(this.db, userId)
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
