import type { Kysely, QueryCreator } from 'kysely'
import type { GenerationDb, StoredVariant } from '../db.ts'
import type { Usage } from '../domain/usage.ts'
import type { CacheEntry } from '../gateway/llm-gateway.ts'
import type { NewGeneration } from './generations-store.ts'
import { addToExistingUsage, usageShard } from './usage-store.ts'

export interface GenerationWrite {
  /** Tokens of every provider call behind the output (first answer and banned-word retries). */
  spend: { apiKeyName: string; day: string; requests: number; usage: Usage }
  cache: CacheEntry[]
  generation: NewGeneration & { variants: StoredVariant[] }
  review?: { reviewId: string; reasons: string[]; actor: string }
}

type Q = QueryCreator<GenerationDb>

const usageRow = (spend: GenerationWrite['spend']) => ({
  apiKeyName: spend.apiKeyName,
  day: spend.day,
  shard: usageShard(),
  requests: spend.requests,
  promptTokens: spend.usage.promptTokens,
  completionTokens: spend.usage.completionTokens,
})

/** The token spend of an output that is not stored (its user was erased while it was generated): the key's usage, not the user's data. */
export async function recordSpend(db: Kysely<GenerationDb>, spend: GenerationWrite['spend']): Promise<void> {
  await db.insertInto('tokenUsage').values(usageRow(spend)).onConflict(addToExistingUsage).execute()
}

/**
 * Stores a generated output that waits for review with everything it implies in ONE statement
 * (data-modifying CTEs): the key's token usage, cache entries, the generation, and its review with
 * the audit entry. One statement is atomic like a transaction, at one round trip instead of four
 * or more, and commits durably before the output is returned as pending. (Outputs returned
 * straight away are written behind the response: memory/output-log.ts.) For a user's output, run
 * it in a transaction that checked first that the user was not erased meanwhile (generate-content.ts).
 */
export async function recordGeneration(db: Kysely<GenerationDb>, w: GenerationWrite): Promise<void> {
  const { spend, generation: g } = w
  let q = db.with('usage', (qc) => qc.insertInto('tokenUsage').values(usageRow(spend)).onConflict(addToExistingUsage)) as unknown as Q
  w.cache.forEach((c, i) => {
    const row = {
      cacheKey: c.cacheKey,
      userId: c.userId,
      provider: c.completion.provider,
      model: c.completion.model,
      texts: JSON.stringify(c.completion.texts),
      promptTokens: c.completion.usage.promptTokens,
      completionTokens: c.completion.usage.completionTokens,
      expiresAt: c.expiresAt,
    }
    q = q.with(`cache${i}`, (qc) =>
      qc
        .insertInto('promptCache')
        .values(row)
        .onConflict((oc) =>
          oc.column('cacheKey').doUpdateSet({
            texts: row.texts,
            model: row.model,
            expiresAt: row.expiresAt,
            promptTokens: row.promptTokens,
            completionTokens: row.completionTokens,
          }),
        ),
    ) as unknown as Q
  })
  if (w.review) {
    const r = w.review
    q = q
      .with('review', (qc) =>
        qc.insertInto('reviews').values({
          reviewId: r.reviewId,
          generationId: g.generationId,
          status: 'pending',
          reasons: r.reasons,
          variantIndex: null,
          finalText: null,
          reviewer: null,
          decidedAt: null,
          createdAt: g.createdAt,
        }),
      )
      .with('audit', (qc) =>
        qc
          .insertInto('reviewAudit')
          .values({ reviewId: r.reviewId, action: 'created', actor: r.actor, note: r.reasons.join(', '), text: null, at: g.createdAt }),
      ) as unknown as Q
  }
  await q
    .insertInto('generations')
    .values({ ...g, variants: JSON.stringify(g.variants), why: JSON.stringify(g.why) })
    .execute()
}
