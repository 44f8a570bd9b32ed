import { type Kysely, type OnConflictBuilder, sql } from 'kysely'
import type { GenerationDb } from '../db.ts'
import type { Usage } from '../domain/usage.ts'

/** Rows a key's daily usage is spread over, so concurrent requests do not queue on one row lock. */
export const USAGE_SHARDS = 16

/** The row this write adds to. */
export const usageShard = () => Math.floor(Math.random() * USAGE_SHARDS)

const DAY_MS = 86_400_000
let day = { start: 0, end: 0, text: '' }

/** The UTC day a budget counts against, as `yyyy-mm-dd` (asked several times a request: the last day is kept). */
export function utcDay(d: Date): string {
  const t = d.getTime()
  if (t >= day.start && t < day.end) return day.text
  const text = d.toISOString().slice(0, 10)
  const start = Math.floor(t / DAY_MS) * DAY_MS
  day = { start, end: start + DAY_MS, text }
  return text
}

/** Tokens a key spent on a day. */
export async function tokensSpent(db: Kysely<GenerationDb>, apiKeyName: string, day: string): Promise<number> {
  const r = await db
    .selectFrom('tokenUsage')
    .select(sql<string | null>`sum(prompt_tokens + completion_tokens)`.as('tokens'))
    .where('apiKeyName', '=', apiKeyName)
    .where('day', '=', day)
    .executeTakeFirst()
  return Number(r?.tokens ?? 0)
}

export async function usageOf(db: Kysely<GenerationDb>, apiKeyName: string, day: string) {
  const r = await db
    .selectFrom('tokenUsage')
    .select([
      sql<string | null>`sum(requests)`.as('requests'),
      sql<string | null>`sum(prompt_tokens)`.as('promptTokens'),
      sql<string | null>`sum(completion_tokens)`.as('completionTokens'),
    ])
    .where('apiKeyName', '=', apiKeyName)
    .where('day', '=', day)
    .executeTakeFirst()
  return { requests: Number(r?.requests ?? 0), promptTokens: Number(r?.promptTokens ?? 0), completionTokens: Number(r?.completionTokens ?? 0) }
}

/** Adds one provider call's tokens to the key's day. */
export async function addUsage(db: Kysely<GenerationDb>, apiKeyName: string, day: string, u: Usage): Promise<void> {
  await db
    .insertInto('tokenUsage')
    .values({ apiKeyName, day, shard: usageShard(), requests: 1, promptTokens: u.promptTokens, completionTokens: u.completionTokens })
    .onConflict(addToExistingUsage)
    .execute()
}

/** A usage row for a key, day and shard that exists already adds the new row's counts to it. */
export function addToExistingUsage(oc: OnConflictBuilder<GenerationDb, 'tokenUsage'>) {
  return oc.columns(['apiKeyName', 'day', 'shard']).doUpdateSet({
    requests: sql`token_usage.requests + excluded.requests`,
    promptTokens: sql`token_usage.prompt_tokens + excluded.prompt_tokens`,
    completionTokens: sql`token_usage.completion_tokens + excluded.completion_tokens`,
  })
}
