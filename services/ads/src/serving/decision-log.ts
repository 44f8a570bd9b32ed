import { WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { AdsDb } from '../db.ts'
import { type DecisionView, findDecision, type LoggedDecision, recordDecisions } from '../store/decisions-store.ts'
import { RecentDecisions } from './recent-decisions.ts'

/**
 * Records decisions (for `why` and off-policy evaluation) without a write per request (the kit's
 * WriteBehindLog); recent ones are answered from memory. A crash loses at most the last
 * interval's rows: their `why` then answers 404, their tracking still counts (tracking links
 * carry what they need).
 */
export class DecisionLog {
  private readonly log: WriteBehindLog<LoggedDecision>
  private readonly recent: RecentDecisions
  private readonly db: Kysely<AdsDb>

  constructor(db: Kysely<AdsDb>, o: { flushMs: number; maxBuffered: number; recentMax: number; log?: Logger }) {
    this.db = db
    this.recent = new RecentDecisions(Math.ceil(o.recentMax / 2))
    this.log = new WriteBehindLog<LoggedDecision>({
      ...o,
      // Kept here instead (RecentDecisions): evicting the oldest of one big Map on every record
      // made each eviction walk the holes earlier deletions left at its front.
      recentMax: 0,
      write: (rows) => recordDecisions(db, rows),
      idOf: (r) => r.decisionId,
      userOf: (r) => r.userId,
      what: 'decisions',
    })
  }

  record(rows: LoggedDecision[]): void {
    this.log.record(rows)
    for (const r of rows) this.recent.add(r)
  }

  async find(decisionId: string): Promise<DecisionView | undefined> {
    const mine = this.recent.get(decisionId)
    if (mine) return { ...mine, createdAt: new Date(mine.createdAt) }
    return findDecision(this.db, decisionId)
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  /** Erasure: nothing of this user is written any more, or answered from memory. */
  forget(userId: string): void {
    this.log.forget(userId)
    this.recent.forget(userId)
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
