import type { Kysely } from 'kysely'
import type { SentimentDb } from '../db.ts'

/**
 * Sentiment's `privacy.erase` hook: the user's scored texts and their per-user aggregates.
 * Item, author and topic aggregates keep only counts with no user id, so they stay. Idempotent.
 */
export async function eraseUser(trx: Kysely<SentimentDb>, userId: string): Promise<void> {
  await trx.deleteFrom('scoredTexts').where('userId', '=', userId).execute()
  await trx.deleteFrom('sentimentBuckets').where('dimension', '=', 'user').where('key', '=', userId).execute()
}
