import type { Kysely } from 'kysely'
import type { SentimentDb } from '../db.ts'
import type { ScoredText } from '../domain/buckets.ts'

/** Stores scored texts; returns the ids that were new (a re-scored text id is kept as first scored). */
export async function insertScoredTexts(db: Kysely<SentimentDb>, texts: readonly ScoredText[]): Promise<Set<string>> {
  if (texts.length === 0) return new Set()
  const rows = await db
    .insertInto('scoredTexts')
    .values(texts.map((t) => ({ ...t, createdAt: new Date() })))
    .onConflict((oc) => oc.column('textId').doNothing())
    .returning('textId')
    .execute()
  return new Set(rows.map((r) => r.textId))
}

/** Scored texts of a user, newest first (for privacy export and tests). */
export async function scoredTextsOfUser(db: Kysely<SentimentDb>, userId: string) {
  return db.selectFrom('scoredTexts').selectAll().where('userId', '=', userId).orderBy('at', 'desc').execute()
}
