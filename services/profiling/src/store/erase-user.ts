import { hashUserId, recordErasedSubjects } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { eraseUserPreferencesAndConsents } from './preferences-store.ts'
import { forgetUserInPrivacyRequests } from './privacy-requests-store.ts'
import { eraseUserSegments } from './segments-store.ts'
import { extendSuppression } from './suppressions-store.ts'

type Db = Kysely<ProfilingDb>

/** Who is being erased: the user id and every anonymous id merged into it. */
export interface ErasureSubject {
  userId: string
  anonymousIds: string[]
}

/** One table group's part of an erasure; runs in the erasure's transaction and must be idempotent. */
export type ErasureStep = (trx: Db, subject: ErasureSubject) => Promise<unknown>

const ids = (s: ErasureSubject) => [s.userId, ...s.anonymousIds]

const keepSuppressionWhole: ErasureStep = (trx, s) => extendSuppression(trx, s.userId, s.anonymousIds)

const eraseEvents: ErasureStep = (trx, s) =>
  trx
    .deleteFrom('events')
    .where((eb) => (s.anonymousIds.length > 0 ? eb.or([eb('userId', '=', s.userId), eb('anonymousId', 'in', s.anonymousIds)]) : eb('userId', '=', s.userId)))
    .execute()

const eraseIdentities: ErasureStep = async (trx, s) => {
  await trx.deleteFrom('mergeLog').where('userId', 'in', ids(s)).execute()
  if (s.anonymousIds.length > 0) await trx.deleteFrom('mergeLog').where('anonymousId', 'in', s.anonymousIds).execute()
  await trx.deleteFrom('identityLinks').where('userId', '=', s.userId).execute()
}

const eraseProfileAndTraits: ErasureStep = async (trx, s) => {
  // The profile row holds the computed-trait aggregates too (migration 0008).
  for (const table of ['profileSentiment', 'profiles'] as const) {
    await trx.deleteFrom(table).where('userId', 'in', ids(s)).execute()
  }
}

const erasePreferencesAndConsents: ErasureStep = async (trx, s) => {
  for (const id of ids(s)) await eraseUserPreferencesAndConsents(trx, id)
}

const eraseSegmentMemberships: ErasureStep = async (trx, s) => {
  for (const id of ids(s)) await eraseUserSegments(trx, id)
}

const erasePrivacyRequestData: ErasureStep = (trx, s) => forgetUserInPrivacyRequests(trx, hashUserId(s.userId))

/**
 * Every step of erasing a user from profiling. A new table of user data adds its step here in the
 * same change (STYLE.md: erasure covers new user data).
 */
export const userErasureSteps: readonly ErasureStep[] = [
  // First: the links it reads are deleted by eraseIdentities.
  keepSuppressionWhole,
  eraseEvents,
  eraseIdentities,
  eraseProfileAndTraits,
  erasePreferencesAndConsents,
  eraseSegmentMemberships,
  erasePrivacyRequestData,
]

/** Profiling's `privacy.erase` hook: deletes everything profiling holds about the user. Unknown users are a no-op. */
export async function eraseUser(trx: Db, userId: string): Promise<void> {
  const links = await trx.selectFrom('identityLinks').select('anonymousId').where('userId', '=', userId).execute()
  const subject = { userId, anonymousIds: links.map((l) => l.anonymousId) }
  // Ids merged since the erasure was asked for have no tombstone yet (the request named those
  // merged before): dated now, they drop what was collected about them until this erasure ran.
  await recordErasedSubjects(trx, subject.anonymousIds, new Date())
  for (const step of userErasureSteps) await step(trx, subject)
}
