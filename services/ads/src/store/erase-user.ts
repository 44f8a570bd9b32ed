import type { Kysely } from 'kysely'
import type { AdsDb } from '../db.ts'
import { eraseUserFromBatches } from './decisions-store.ts'

/** Ads' `privacy.erase` hook: the mirrored signals, impressions kept for caps and decisions logged for the user. Idempotent. */
export async function eraseUser(trx: Kysely<AdsDb>, userId: string): Promise<void> {
  await trx.deleteFrom('adUsers').where('userId', '=', userId).execute()
  await trx.deleteFrom('userImpressions').where('userId', '=', userId).execute()
  await eraseUserFromBatches(trx, userId)
  await trx.deleteFrom('decisionRequests').where('userId', '=', userId).execute()
  await trx.deleteFrom('decisions').where('userId', '=', userId).execute()
}
