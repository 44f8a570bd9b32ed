import { type Kysely, type QueryCreator, sql } from 'kysely'
import type { GenerationDb, StoredVariant } from '../db.ts'
import type { Usage } from '../domain/usage.ts'
import type { CacheEntry } from '../gateway/llm-gateway.ts'
import type { NewGeneration } from './generations-store.ts'
import { addToExistingUsage, usageShard } from './usage-store.ts'

export interface SpendRow {
  apiKeyName: string
  day: string
  requests: number
  usage: Usage
}

export interface ReturnedBatch {
  generations: (NewGeneration & { variants: StoredVariant[] })[]
  cache: CacheEntry[]
  spend: SpendRow[]
}

type Q = QueryCreator<GenerationDb>

/**
 * Writes a batch of outputs that were returned straight to their callers (no review), their cache
 * entries and their token spend, in ONE statement (data-modifying CTEs: atomic, one round trip).
 * A generation already written (a batch retried after a lost commit acknowledgement) is skipped;
 * its spend would then count twice, which errs on the side of the budget.
 */
export async function recordReturned(db: Kysely<GenerationDb>, b: ReturnedBatch): Promise<void> {
  const spend = new Map<string, SpendRow>()
  for (const s of b.spend) {
    const k = `${s.apiKeyName}\0${s.day}`
    const sum = spend.get(k)
    spend.set(
      k,
      sum
        ? {
            ...sum,
            requests: sum.requests + s.requests,
            usage: { promptTokens: sum.usage.promptTokens + s.usage.promptTokens, completionTokens: sum.usage.completionTokens + s.usage.completionTokens },
          }
        : s,
    )
  }
  const cache = [...new Map(b.cache.map((c) => [c.cacheKey, c])).values()]
  let q = db as unknown as Q
  if (b.generations.length > 0) {
    q = q.with('generation', (qc) =>
      qc
        .insertInto('generations')
        .values(b.generations.map((g) => ({ ...g, variants: JSON.stringify(g.variants), why: JSON.stringify(g.why) })))
        .onConflict((oc) => oc.column('generationId').doNothing()),
    ) as unknown as Q
  }
  if (spend.size > 0) {
    q = q.with('spend', (qc) =>
      qc
        .insertInto('tokenUsage')
        .values(
          [...spend.values()].map((s) => ({
            apiKeyName: s.apiKeyName,
            day: s.day,
            shard: usageShard(),
            requests: s.requests,
            promptTokens: s.usage.promptTokens,
            completionTokens: s.usage.completionTokens,
          })),
        )
        .onConflict(addToExistingUsage),
    ) as unknown as Q
  }
  if (cache.length > 0) {
    q = q.with('cache', (qc) =>
      qc
        .insertInto('promptCache')
        .values(
          cache.map((c) => ({
            cacheKey: c.cacheKey,
            userId: c.userId,
            provider: c.completion.provider,
            model: c.completion.model,
            texts: JSON.stringify(c.completion.texts),
            promptTokens: c.completion.usage.promptTokens,
            completionTokens: c.completion.usage.completionTokens,
            expiresAt: c.expiresAt,
          })),
        )
        .onConflict((oc) =>
          oc.column('cacheKey').doUpdateSet((eb) => ({
            texts: eb.ref('excluded.texts'),
            model: eb.ref('excluded.model'),
            expiresAt: eb.ref('excluded.expiresAt'),
            promptTokens: eb.ref('excluded.promptTokens'),
            completionTokens: eb.ref('excluded.completionTokens'),
          })),
        ),
    ) as unknown as Q
  }
  if (b.generations.length + spend.size + cache.length === 0) return
  // Postgres runs every data-modifying CTE, whether the statement reads it or not.
  await q.selectNoFrom(sql<number>`1`.as('done')).execute()
}
