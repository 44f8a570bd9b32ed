import { WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { AdsDb } from '../db.ts'
import {
  type DecisionView,
  decisionInRequestRow,
  decisionRequestRow,
  findDecision,
  type LoggedRequest,
  recordDecisionRequests,
} from '../store/decisions-store.ts'

/** One request's decisions, serialized once (a text of `decisionRequestRow`). */
interface Logged {
  requestId: string
  userId: string | null
  row: string
}

/**
 * Records decisions (for `why` and off-policy evaluation) without a write per request (the kit's
 * WriteBehindLog, one entry and one row per request rather than per decision); those not written yet are
 * answered from memory, the others by the table. A crash loses at most the last interval's rows:
 * their `why` then answers 404, their tracking still counts (tracking links carry what they need).
 */
export class DecisionLog {
  private readonly log: WriteBehindLog<Logged>
  /**
   * Recorded and not known to be written, oldest first. `why` scans it (a rare read, at most a few
   * flushes' worth of requests) rather than every decision being indexed by id on the serving path
   * (issue 9: three inserts per request into a 25,000-entry map, and 50,000 decisions kept alive
   * for the garbage collector to trace and promote).
   */
  private pending: Logged[] = []
  /** Bound of `pending` while writes fail (the kit keeps at most 20 × maxBuffered unwritten, plus a batch in flight). */
  private readonly maxPending: number
  private readonly db: Kysely<AdsDb>

  /** `maxBuffered` counts requests (record calls). */
  constructor(db: Kysely<AdsDb>, o: { flushMs: number; maxBuffered: number; log?: Logger }) {
    this.db = db
    this.maxPending = 21 * o.maxBuffered
    this.log = new WriteBehindLog<Logged>({
      ...o,
      recentMax: 0,
      write: async (entries) => {
        await recordDecisionRequests(
          db,
          entries.map((e) => e.row),
        )
        this.written(entries)
      },
      idOf: (e) => e.requestId,
      userOf: (e) => e.userId,
      what: 'decisions',
    })
  }

  /** The decisions of one request (none: nothing is logged). */
  record(request: LoggedRequest): void {
    if (request.decisions.length === 0) return
    const entry: Logged = { requestId: request.requestId, userId: request.userId, row: decisionRequestRow(request) }
    this.log.record([entry])
    this.pending.push(entry)
    // Trimmed in bulk, so a push stays O(1) when the database is down for long.
    if (this.pending.length > 2 * this.maxPending) this.pending = this.pending.slice(-this.maxPending)
  }

  /**
   * After a batch is in the table: it and everything recorded before its last entry are (batches
   * are written in the order recorded; what the log dropped after failed writes was older still).
   */
  private written(entries: readonly Logged[]): void {
    const i = this.pending.lastIndexOf(entries[entries.length - 1] as Logged)
    if (i >= 0) this.pending = this.pending.slice(i + 1)
  }

  async find(decisionId: string): Promise<DecisionView | undefined> {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const e = this.pending[i] as Logged
      if (e.row.includes(decisionId)) {
        const d = decisionInRequestRow(e.row, decisionId)
        if (d) return d
      }
    }
    return findDecision(this.db, decisionId)
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  /** Erasure: nothing of this user is written any more, or answered from memory. */
  forget(userId: string): void {
    this.log.forget(userId)
    this.pending = this.pending.filter((e) => e.userId !== userId)
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
