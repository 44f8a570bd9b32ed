import { type Kysely, sql } from 'kysely'
import type { GenerationDb } from '../db.ts'
import type { Usage } from '../domain/usage.ts'

/** The UTC day a budget counts against, as `yyyy-mm-dd`. */
export const utcDay = (d: Date) => d.toISOString().slice(0, 10)

/** Tokens a key spent on a day. */
export async function tokensSpent(db: Kysely<GenerationDb>, apiKeyName: string, day: string): Promise<number> {
  const r = await db
    .selectFrom('tokenUsage')
    .select(['promptTokens', 'completionTokens'])
    .where('apiKeyName', '=', apiKeyName)
    .where('day', '=', day)
    .executeTakeFirst()
  return r ? Number(r.promptTokens) + Number(r.completionTokens) : 0
}

export async function usageOf(db: Kysely<GenerationDb>, apiKeyName: string, day: string) {
  const r = await db
    .selectFrom('tokenUsage')
    .select(['requests', 'promptTokens', 'completionTokens'])
    .where('apiKeyName', '=', apiKeyName)
    .where('day', '=', day)
    .executeTakeFirst()
  return { requests: r?.requests ?? 0, promptTokens: Number(r?.promptTokens ?? 0), completionTokens: Number(r?.completionTokens ?? 0) }
}

/** Adds one provider call's tokens to the key's day. */
export async function addUsage(db: Kysely<GenerationDb>, apiKeyName: string, day: string, u: Usage): Promise<void> {
  await db
    .insertInto('tokenUsage')
    .values({ apiKeyName, day, requests: 1, promptTokens: u.promptTokens, completionTokens: u.completionTokens })
    .onConflict((oc) =>
      oc.columns(['apiKeyName', 'day']).doUpdateSet({
        requests: sql`token_usage.requests + 1`,
        promptTokens: sql`token_usage.prompt_tokens + ${u.promptTokens}`,
        completionTokens: sql`token_usage.completion_tokens + ${u.completionTokens}`,
      }),
    )
    .execute()
}
