import type { GenerationConfig } from './config.ts'
import type { TemplateId } from './domain/templates.ts'
import { parseBudgets } from './domain/usage.ts'

/** Generation's configuration with every default applied. */
export interface Settings {
  provider: { kind: 'openai'; apiKey: string; baseURL?: string; timeoutMs: number; maxRetries: number } | { kind: 'offline' }
  models: (use: TemplateId) => string
  moderation: 'provider' | 'local'
  moderationModel: string
  budget: (keyName: string) => number
  rateLimitPerMinute: number
  cacheTtlSeconds: number
  recommendation: { url: string; apiKey?: string; timeoutMs: number }
  storyMemoryBudgetChars: number
  /** What each replica keeps in memory to keep the database off the request path (memory/). */
  memory: {
    /** Brand voices and review policies are read again once this old (other replicas' writes). */
    readCacheTtlMs: number
    /** A key's token spend is read again once this old (other replicas' spend). */
    spendRefreshMs: number
    /** Returned outputs are written at most this long after the response (sooner once 250 wait): fewer, larger writes. */
    outputFlushMs: number
  }
}

/** Resolves the defaults once; a bad `GENERATION_TOKEN_BUDGETS` entry throws naming it. */
export function resolveSettings(c: GenerationConfig): Settings {
  const models = new Map(
    (c.OPENAI_MODELS ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  )
  const budgets = parseBudgets(c.GENERATION_TOKEN_BUDGETS ?? '')
  const budget = c.GENERATION_TOKEN_BUDGET ?? 2_000_000
  const mode = c.GENERATION_MODERATION ?? 'auto'
  const model = c.OPENAI_MODEL ?? 'gpt-4o-mini'
  return {
    provider: c.OPENAI_API_KEY
      ? {
          kind: 'openai',
          apiKey: c.OPENAI_API_KEY,
          ...(c.OPENAI_BASE_URL ? { baseURL: c.OPENAI_BASE_URL } : {}),
          timeoutMs: c.OPENAI_TIMEOUT_MS ?? 30_000,
          maxRetries: c.OPENAI_MAX_RETRIES ?? 2,
        }
      : { kind: 'offline' },
    models: (use) => models.get(use) ?? model,
    moderation: !c.OPENAI_API_KEY ? 'local' : mode === 'auto' ? (c.OPENAI_BASE_URL ? 'local' : 'provider') : mode,
    moderationModel: c.OPENAI_MODERATION_MODEL ?? 'omni-moderation-latest',
    budget: (name) => budgets.get(name) ?? budget,
    rateLimitPerMinute: c.GENERATION_RATE_LIMIT_PER_MINUTE ?? 120,
    cacheTtlSeconds: c.GENERATION_CACHE_TTL_SECONDS ?? 86_400,
    recommendation: {
      url: (c.RECOMMENDATION_URL ?? 'http://recommendation:3000').replace(/\/$/, ''),
      ...(c.RECOMMENDATION_API_KEY ? { apiKey: c.RECOMMENDATION_API_KEY } : {}),
      timeoutMs: c.RECOMMENDATION_TIMEOUT_MS ?? 3000,
    },
    storyMemoryBudgetChars: c.STORY_MEMORY_BUDGET_CHARS ?? 1200,
    memory: { readCacheTtlMs: 2000, spendRefreshMs: 1000, outputFlushMs: 400 },
  }
}
