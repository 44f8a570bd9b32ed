import type { Kysely } from 'kysely'
import type { SentimentDb } from '../db.ts'
import { scoredTextsOfUser } from './scored-texts-store.ts'

/**
 * Sentiment's `privacy.export` hook: everything sentiment holds about the user (the rows
 * `eraseUser` deletes): the scores of their texts (ids and scores; the texts were never stored)
 * and their per-user 15-minute aggregates.
 */
export async function exportUser(db: Kysely<SentimentDb>, userId: string) {
  const [texts, buckets] = await Promise.all([
    scoredTextsOfUser(db, userId),
    db
      .selectFrom('sentimentBuckets')
      .select(['bucket', 'total', 'negative', 'neutral', 'positive', 'compoundSum', 'emotions'])
      .where('dimension', '=', 'user')
      .where('key', '=', userId)
      .orderBy('bucket')
      .execute(),
  ])
  return {
    userId,
    scoredTexts: texts.map(({ userId: _, createdAt: __, ...t }) => t),
    aggregates: buckets,
  }
}
