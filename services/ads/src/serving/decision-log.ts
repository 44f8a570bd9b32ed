import { RecentMap, WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { AdsDb } from '../db.ts'
import { type DecisionView, decisionInRows, decisionRow, findDecision, type LoggedDecision, recordDecisions } from '../store/decisions-store.ts'

/** The decisions of one request for one user, serialized once (texts of `decisionRow` joined by commas). */
interface Logged {
  firstId: string
  userId: string | null
  rows: string
}

/**
 * Records decisions (for `why` and off-policy evaluation) without a write per request (the kit's
 * WriteBehindLog, one entry per request rather than per decision); recent ones are answered from
 * memory. A crash loses at most the last interval's rows: their `why` then answers 404, their
 * tracking still counts (tracking links carry what they need).
 */
export class DecisionLog {
  private readonly log: WriteBehindLog<Logged>
  /** By decision id: a request's decisions share its entry. */
  private readonly recent: RecentMap<string, Logged>
  private readonly db: Kysely<AdsDb>

  /** `maxBuffered` counts requests (record calls), `recentMax` decisions. */
  constructor(db: Kysely<AdsDb>, o: { flushMs: number; maxBuffered: number; recentMax: number; log?: Logger }) {
    this.db = db
    this.recent = new RecentMap(Math.ceil(o.recentMax / 2))
    this.log = new WriteBehindLog<Logged>({
      ...o,
      // Kept here instead (`recent`): an entry holds a request's decisions and is looked up by each
      // decision's id, where the log's own recent rows have one id each.
      recentMax: 0,
      write: (entries) =>
        recordDecisions(
          db,
          entries.map((e) => e.rows),
        ),
      idOf: (e) => e.firstId,
      userOf: (e) => e.userId,
      what: 'decisions',
    })
  }

  /** The decisions of one request. */
  record(rows: readonly LoggedDecision[]): void {
    if (rows.length === 0) return
    const userId = (rows[0] as LoggedDecision).userId
    if (rows.every((r) => r.userId === userId)) this.keep(rows, userId)
    else for (const r of rows) this.keep([r], r.userId)
  }

  private keep(rows: readonly LoggedDecision[], userId: string | null): void {
    const entry: Logged = { firstId: (rows[0] as LoggedDecision).decisionId, userId, rows: rows.map(decisionRow).join(',') }
    this.log.record([entry])
    for (const r of rows) this.recent.set(r.decisionId, entry)
  }

  async find(decisionId: string): Promise<DecisionView | undefined> {
    const mine = this.recent.get(decisionId)
    if (mine) return decisionInRows(mine.rows, decisionId)
    return findDecision(this.db, decisionId)
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  /** Erasure: nothing of this user is written any more, or answered from memory. */
  forget(userId: string): void {
    this.log.forget(userId)
    this.recent.deleteWhere((e) => e.userId === userId)
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
