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

/** Stored scores of these text ids, locked until the transaction ends (a rescore reads, then replaces them). */
export async function scoredTextsForUpdate(db: Kysely<SentimentDb>, textIds: readonly string[]): Promise<ScoredText[]> {
  if (textIds.length === 0) return []
  const rows = await db
    .selectFrom('scoredTexts')
    .select(['textId', 'source', 'userId', 'itemId', 'authorId', 'topics', 'label', 'compound', 'emotion', 'at'])
    .where('textId', 'in', [...textIds])
    .orderBy('textId')
    .forUpdate()
    .execute()
  return rows.map((r) => ({ ...r, emotion: r.emotion as ScoredText['emotion'] }))
}

/** Replaces the scores of stored texts (same ids). */
export async function updateScoredTexts(db: Kysely<SentimentDb>, texts: readonly ScoredText[]): Promise<void> {
  for (const t of texts) {
    const { textId, ...rest } = t
    await db.updateTable('scoredTexts').set(rest).where('textId', '=', textId).execute()
  }
}

/** Deletes stored texts (a post edited into another language or emptied). */
export async function deleteScoredTexts(db: Kysely<SentimentDb>, textIds: readonly string[]): Promise<void> {
  if (textIds.length === 0) return
  await db
    .deleteFrom('scoredTexts')
    .where('textId', 'in', [...textIds])
    .execute()
}
