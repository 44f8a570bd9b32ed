import type { PrivacyRequestKind } from '@attune/contracts'
import { hashUserId } from '@attune/kit'
import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { awaitingServices, type StoredPrivacyRequest } from '../domain/privacy-requests.ts'

type Db = Kysely<ProfilingDb>

const columns = ['id', 'kind', 'status', 'userId', 'userIdHash', 'services', 'result', 'error', 'requestedAt', 'completedAt'] as const

/**
 * Records a request, unless one of the same kind is already pending for the user: then that one is
 * returned with `created: false` (a repeated POST does not start a second erasure).
 */
export async function createPrivacyRequest(
  trx: Db,
  r: { id: string; kind: PrivacyRequestKind; userId: string; userIdHash: string; services: string[]; now: Date },
): Promise<{ created: boolean; request: StoredPrivacyRequest }> {
  const inserted = await trx
    .insertInto('privacyRequests')
    .values({ id: r.id, kind: r.kind, status: 'pending', userId: r.userId, userIdHash: r.userIdHash, services: JSON.stringify(r.services), requestedAt: r.now })
    .onConflict((oc) => oc.columns(['kind', 'userIdHash']).where('status', '=', 'pending').doNothing())
    .returning(columns)
    .executeTakeFirst()
  if (inserted) return { created: true, request: inserted as StoredPrivacyRequest }
  const pending = await trx
    .selectFrom('privacyRequests')
    .select(columns)
    .where('kind', '=', r.kind)
    .where('userIdHash', '=', r.userIdHash)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  return { created: false, request: pending as StoredPrivacyRequest }
}

export async function findPrivacyRequest(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<StoredPrivacyRequest | undefined> {
  let q = db.selectFrom('privacyRequests').select(columns).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as StoredPrivacyRequest | undefined
}

export async function requestConfirmations(db: Db, requestId: string): Promise<{ service: string; confirmedAt: Date }[]> {
  return db
    .selectFrom('privacyConfirmations')
    .select(['service', 'confirmedAt'])
    .where('requestId', '=', requestId)
    .orderBy('confirmedAt')
    .orderBy('service')
    .execute()
}

export type ConfirmOutcome = 'unknown-request' | 'completed' | 'pending' | 'already-done'

/**
 * Records that `service` confirmed an erasure; when every required service has, completes the
 * request and drops the user id from it (only the hash stays). The row is locked, so two
 * confirmations arriving together cannot both see the other missing.
 */
export async function confirmErasure(trx: Db, requestId: string, service: string, now: Date): Promise<ConfirmOutcome> {
  const request = await findPrivacyRequest(trx, requestId, { forUpdate: true })
  if (request?.kind !== 'erasure') return 'unknown-request'
  await trx
    .insertInto('privacyConfirmations')
    .values({ requestId, service, confirmedAt: now })
    .onConflict((oc) => oc.columns(['requestId', 'service']).doNothing())
    .execute()
  if (request.status !== 'pending') return 'already-done'
  const confirmed = await requestConfirmations(trx, requestId)
  if (
    awaitingServices(
      request.services,
      confirmed.map((c) => c.service),
    ).length > 0
  )
    return 'pending'
  await trx.updateTable('privacyRequests').set({ status: 'completed', completedAt: now, userId: null }).where('id', '=', requestId).execute()
  return 'completed'
}

/** Stores an export's result and marks the gathering service as confirmed. */
export async function completeExport(trx: Db, requestId: string, service: string, result: unknown, now: Date): Promise<void> {
  await trx
    .insertInto('privacyConfirmations')
    .values({ requestId, service, confirmedAt: now })
    .onConflict((oc) => oc.columns(['requestId', 'service']).doNothing())
    .execute()
  await trx
    .updateTable('privacyRequests')
    .set({ status: 'completed', completedAt: now, result: JSON.stringify(result) })
    .where('id', '=', requestId)
    .where('status', '=', 'pending')
    .execute()
}

export async function failRequest(trx: Db, requestId: string, error: string, now: Date): Promise<void> {
  await trx
    .updateTable('privacyRequests')
    .set({ status: 'failed', completedAt: now, error, result: null })
    .where('id', '=', requestId)
    .where('status', '=', 'pending')
    .execute()
}

/** Erasure of the requests themselves: drops the user id and any export result; id, hash, status and times stay. */
export async function forgetUserInPrivacyRequests(trx: Db, userIdHash: string): Promise<number> {
  const r = await trx.updateTable('privacyRequests').set({ userId: null, result: null }).where('userIdHash', '=', userIdHash).executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** The user's own request history (for an export), without results. */
export async function userPrivacyRequests(db: Db, userIdHash: string) {
  return db
    .selectFrom('privacyRequests')
    .select(['id', 'kind', 'status', 'requestedAt', 'completedAt'])
    .where('userIdHash', '=', userIdHash)
    .orderBy('requestedAt')
    .execute()
}

export const savepoint = {
  set: (trx: Db, name: string) => sql`savepoint ${sql.id(name)}`.execute(trx),
  rollback: (trx: Db, name: string) => sql`rollback to savepoint ${sql.id(name)}`.execute(trx),
  release: (trx: Db, name: string) => sql`release savepoint ${sql.id(name)}`.execute(trx),
}

/**
 * Which of these users have an erasure asked for and not completed: what profiling still holds of
 * them goes once its own erasure runs, but another service whose erasure already ran would keep
 * what profiling publishes about them meanwhile (dated after the request, it reads as new data).
 */
export async function usersBeingErased(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set()
  const byHash = new Map(userIds.map((id) => [hashUserId(id), id]))
  const rows = await db
    .selectFrom('privacyRequests')
    .select('userIdHash')
    .where('kind', '=', 'erasure')
    .where('status', '=', 'pending')
    .where(sql<boolean>`user_id_hash = any(${[...byHash.keys()]}::text[])`)
    .execute()
  return new Set(rows.flatMap((r) => byHash.get(r.userIdHash) ?? []))
}
