import type { ConsentPurpose, ConsentStatus } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { ConsentEntry, ConsentLedger, HistoryPosition } from '../domain/consents.ts'

type Db = Kysely<ProfilingDb>

export interface ConsentRecordRow extends ConsentEntry {
  id: string
  recordedAt: Date
}

const columns = ['id', 'purpose', 'status', 'at', 'expiresAt', 'source', 'recordedAt'] as const

function toRow(r: {
  id: string
  purpose: string
  status: string
  at: Date
  expiresAt: Date | null
  source: string | null
  recordedAt: Date
}): ConsentRecordRow {
  return { ...r, id: String(r.id), purpose: r.purpose as ConsentPurpose, status: r.status as ConsentStatus }
}

export async function insertConsents(db: Db, userId: string, entries: ConsentEntry[], now: Date): Promise<ConsentRecordRow[]> {
  if (entries.length === 0) return []
  const rows = await db
    .insertInto('consentRecords')
    .values(entries.map((e) => ({ userId, purpose: e.purpose, status: e.status, at: e.at, expiresAt: e.expiresAt, source: e.source, recordedAt: now })))
    .returning(columns)
    .execute()
  return rows.map(toRow)
}

/**
 * The latest choice per purpose as of `now` (by `at`, then by insertion for equal times); what
 * `hasConsent` in domain/consents.ts evaluates. Choices dated after `now` are not yet in force.
 */
export async function currentConsents(db: Db, userId: string, now: Date): Promise<ConsentLedger> {
  const rows = await db
    .selectFrom('consentRecords')
    .distinctOn('purpose')
    .select(['purpose', 'status', 'at', 'expiresAt', 'source'])
    .where('userId', '=', userId)
    .where('at', '<=', now)
    .orderBy('purpose')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const ledger: ConsentLedger = {}
  for (const r of rows) {
    const purpose = r.purpose as ConsentPurpose
    ledger[purpose] = { purpose, status: r.status as ConsentStatus, at: r.at, expiresAt: r.expiresAt, source: r.source }
  }
  return ledger
}

/** One page of a user's consent history, newest first, after `after`; asks for `limit + 1` so the caller knows whether more follow. */
export async function consentHistory(db: Db, userId: string, limit: number, after?: HistoryPosition): Promise<ConsentRecordRow[]> {
  let q = db.selectFrom('consentRecords').select(columns).where('userId', '=', userId)
  if (after) q = q.where((eb) => eb(eb.refTuple('at', 'id'), '<', eb.tuple(after.at, after.id)))
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  return rows.map(toRow)
}

/** A user's whole consent history, oldest first (for export). */
export async function consentRecordRows(db: Db, userId: string): Promise<ConsentRecordRow[]> {
  const rows = await db.selectFrom('consentRecords').select(columns).where('userId', '=', userId).orderBy('at').orderBy('id').execute()
  return rows.map(toRow)
}

/** The analytics consent entry in force for each of `userIds` at `now` (absent: never set). */
export async function analyticsConsents(db: Db, userIds: string[], now: Date): Promise<Map<string, ConsentEntry>> {
  if (userIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('consentRecords')
    .distinctOn('userId')
    .select(['userId', 'purpose', 'status', 'at', 'expiresAt', 'source'])
    .where('userId', 'in', [...new Set(userIds)])
    .where('purpose', '=', 'analytics')
    .where('at', '<=', now)
    .orderBy('userId')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return new Map(rows.map((r) => [r.userId, { purpose: 'analytics', status: r.status as ConsentStatus, at: r.at, expiresAt: r.expiresAt, source: r.source }]))
}
