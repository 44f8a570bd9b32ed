import { WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { AdsDb } from '../db.ts'
import {
  type BatchedRequest,
  type DecisionView,
  decisionInRequestRow,
  decisionRequestRow,
  eraseUserFromBatches,
  findDecision,
  type LoggedRequest,
  recordDecisionBatches,
} from '../store/decisions-store.ts'

/** One request's decisions, serialized once (`row`, a text of `decisionRequestRow`). */
interface Logged extends BatchedRequest {
  requestId: string
}

/**
 * Records decisions (for `why` and off-policy evaluation) without a write per request (the kit's
 * WriteBehindLog, one entry per request, one row per written batch); those not written yet are
 * answered from memory, the others by the table. A crash loses at most the last interval's rows:
 * their `why` then answers 404, their tracking still counts (tracking links carry what they need).
 */
export class DecisionLog {
  private readonly log: WriteBehindLog<Logged>
  private readonly db: Kysely<AdsDb>

  /** `maxBuffered` counts requests (record calls). */
  constructor(db: Kysely<AdsDb>, o: { flushMs: number; maxBuffered: number; log?: Logger }) {
    this.db = db
    this.log = new WriteBehindLog<Logged>({
      ...o,
      // `find` scans the unwritten entries instead (a rare read): no index of every decision by id
      // on the serving path (issue 9: three inserts per request into a 25,000-entry map, and 50,000
      // decisions kept alive for the garbage collector to trace and promote).
      recentMax: 0,
      write: (entries) => recordDecisionBatches(db, entries),
      idOf: (e) => e.requestId,
      userOf: (e) => e.userId,
      what: 'decisions',
    })
  }

  /** The decisions of one request (none: nothing is logged). */
  record(request: LoggedRequest): void {
    if (request.decisions.length === 0) return
    const entry: Logged = { requestId: request.requestId, userId: request.userId, at: request.createdAt, row: decisionRequestRow(request) }
    this.log.record([entry])
  }

  async find(decisionId: string): Promise<DecisionView | undefined> {
    for (const e of this.log.unwritten()) {
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

  /**
   * Erasure: nothing of this user is written any more, or answered from memory. The batch being
   * written when the erasure came may commit after the erasure's own delete (on any replica), so
   * once this replica's write in flight is done the user's requests are taken out of the batches
   * again (idempotent), as generation's OutputLog does.
   */
  async forget(userId: string): Promise<void> {
    await this.log.forgetAfterWrite(userId)
    await this.db.transaction().execute((trx) => eraseUserFromBatches(trx, userId))
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
