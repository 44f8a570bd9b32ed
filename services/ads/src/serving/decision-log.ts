import { WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { AdsDb, Reason } from '../db.ts'
import { type DecisionRow, type DecisionView, findDecision, recordDecisions } from '../store/decisions-store.ts'

/**
 * Records decisions (for `why` and off-policy evaluation) without a write per request (the kit's
 * WriteBehindLog); recent ones are answered from memory. A crash loses at most the last
 * interval's rows: their `why` then answers 404, their tracking still counts (tracking links
 * carry what they need).
 */
export class DecisionLog {
  private readonly log: WriteBehindLog<DecisionRow>
  private readonly db: Kysely<AdsDb>

  constructor(db: Kysely<AdsDb>, o: { flushMs: number; maxBuffered: number; recentMax: number; log?: Logger }) {
    this.db = db
    this.log = new WriteBehindLog<DecisionRow>({
      ...o,
      write: (rows) => recordDecisions(db, rows),
      idOf: (r) => r.decisionId,
      userOf: (r) => r.userId,
      what: 'decisions',
    })
  }

  record(rows: DecisionRow[]): void {
    this.log.record(rows)
  }

  async find(decisionId: string): Promise<DecisionView | undefined> {
    const mine = this.log.recent(decisionId)
    if (mine) return { ...mine, userId: mine.userId ?? null, reasons: JSON.parse(mine.reasons) as Reason[], createdAt: new Date(mine.createdAt) }
    return findDecision(this.db, decisionId)
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  /** Erasure: nothing of this user is written any more, or answered from memory. */
  forget(userId: string): void {
    this.log.forget(userId)
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
