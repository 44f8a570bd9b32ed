import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'
import type { Completion } from '../providers/provider.ts'

/** A cached answer to an identical prompt, unless expired. */
export async function cachedCompletion(db: Kysely<GenerationDb>, cacheKey: string, now: Date): Promise<Completion | undefined> {
  const r = await db.selectFrom('promptCache').selectAll().where('cacheKey', '=', cacheKey).where('expiresAt', '>', now).executeTakeFirst()
  if (!r) return undefined
  return {
    texts: r.texts,
    usage: { promptTokens: r.promptTokens, completionTokens: r.completionTokens },
    model: r.model,
    provider: r.provider as Completion['provider'],
  }
}

export async function cacheCompletion(db: Kysely<GenerationDb>, cacheKey: string, userId: string | null, c: Completion, expiresAt: Date): Promise<void> {
  const row = {
    cacheKey,
    userId,
    provider: c.provider,
    model: c.model,
    texts: JSON.stringify(c.texts),
    promptTokens: c.usage.promptTokens,
    completionTokens: c.usage.completionTokens,
    expiresAt,
  }
  await db
    .insertInto('promptCache')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('cacheKey')
        .doUpdateSet({ texts: row.texts, model: row.model, expiresAt, promptTokens: row.promptTokens, completionTokens: row.completionTokens }),
    )
    .execute()
}

/** Drops expired entries. */
export async function purgeCache(db: Kysely<GenerationDb>, now: Date): Promise<number> {
  const r = await db.deleteFrom('promptCache').where('expiresAt', '<=', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}
