import { AppError, type Clock } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'
import { cacheKey } from '../domain/cache-key.ts'
import { estimatePromptTokens, noUsage, type Usage } from '../domain/usage.ts'
import type { OutputLog } from '../memory/output-log.ts'
import type { SpendLedger } from '../memory/spend-ledger.ts'
import type { Completion, CompletionRequest, Provider } from '../providers/provider.ts'
import type { Settings } from '../settings.ts'
import { cacheCompletion, cachedCompletion } from '../store/cache-store.ts'
import { addUsage, utcDay } from '../store/usage-store.ts'

export interface GatewayCall {
  apiKeyName: string
  /** Whose request this is: cache rows built for a user are erased with them. */
  userId: string | null
  request: CompletionRequest
  /** Answer identical prompts from the cache (and store this answer in it). */
  cache: boolean
}

/** An answer to store in the prompt cache. */
export interface CacheEntry {
  cacheKey: string
  userId: string | null
  completion: Completion
  expiresAt: Date
}

/** A provider answer and what must be recorded about it, in the caller's transaction. */
export interface GatewayResult {
  completion: Completion
  cached: boolean
  /** What the caller records with its output: the tokens spent (none from the cache) and the cache entry to write. */
  record: { apiKeyName: string; day: string; usage: Usage; cache?: CacheEntry }
  /** Writes `record` (usage, cache entry): call it in the transaction that stores the output (or hand `record` to the output log). */
  persist(trx: Kysely<GenerationDb>): Promise<void>
}

export interface StreamResult {
  parts: AsyncIterable<string>
  /** After the stream ended: its usage, and what to record. */
  finish(): { usage: Usage; persist(trx: Kysely<GenerationDb>): Promise<void> }
}

export interface LlmGateway {
  readonly provider: Provider
  complete(call: GatewayCall): Promise<GatewayResult>
  /** Starts a stream: resolves once the first text arrived (a failure before it is an ordinary error). */
  stream(call: Omit<GatewayCall, 'cache' | 'request'> & { request: Omit<CompletionRequest, 'n'> }): Promise<StreamResult>
}

function secondsToMidnight(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000))
}

/**
 * The gateway between the flows and a provider: per-key daily token budgets (from the replica's
 * SpendLedger), the prompt cache, and usage accounting. Nothing is written until the caller
 * persists, so a provider failure leaves no trace.
 */
export function createGateway(deps: {
  provider: Provider
  db: Kysely<GenerationDb>
  settings: Settings
  clock: Clock
  spend: SpendLedger
  outputs: Pick<OutputLog, 'cached'>
}): LlmGateway {
  const { provider, db, settings, clock, spend } = deps

  /** Refuses (429) a key whose spend today plus this prompt is over its budget. */
  async function ensureBudget(apiKeyName: string, request: Omit<CompletionRequest, 'n'>): Promise<void> {
    const now = clock()
    const budget = settings.budget(apiKeyName)
    const spent = await spend.spent(apiKeyName, utcDay(now))
    const needed = estimatePromptTokens(request.messages)
    if (spent + needed > budget) {
      throw new AppError('rate_limited', `The daily token budget of ${budget} tokens for this API key is used up (${spent} spent); it resets at 00:00 UTC`, {
        headers: { 'retry-after': String(secondsToMidnight(now)) },
      })
    }
  }

  // Usage written in a caller's transaction counts from now on, whether it commits or not: the
  // ledger's next read settles it either way.
  const noteWritten = (apiKeyName: string, day: string, u: Usage) => spend.written(apiKeyName, day, u.promptTokens + u.completionTokens, false)

  return {
    provider,
    async complete(call) {
      const useCache = call.cache && settings.cacheTtlSeconds > 0
      const key = useCache ? cacheKey(provider.name, call.request) : ''
      const unwritten = useCache ? deps.outputs.cached(key, clock())?.completion : undefined
      const [hit] = await Promise.all([unwritten ?? (useCache ? cachedCompletion(db, key, clock()) : undefined), ensureBudget(call.apiKeyName, call.request)])
      const day = utcDay(clock())
      if (hit) return { completion: hit, cached: true, record: { apiKeyName: call.apiKeyName, day, usage: noUsage }, persist: async () => {} }
      const completion = await provider.complete(call.request)
      const now = clock()
      const cache = useCache
        ? { cacheKey: key, userId: call.userId, completion, expiresAt: new Date(now.getTime() + settings.cacheTtlSeconds * 1000) }
        : undefined
      return {
        completion,
        cached: false,
        record: { apiKeyName: call.apiKeyName, day: utcDay(now), usage: completion.usage, ...(cache ? { cache } : {}) },
        async persist(trx) {
          await addUsage(trx, call.apiKeyName, utcDay(now), completion.usage)
          if (cache) await cacheCompletion(trx, cache.cacheKey, cache.userId, completion, cache.expiresAt)
          noteWritten(call.apiKeyName, utcDay(now), completion.usage)
        },
      }
    },
    async stream(call) {
      await ensureBudget(call.apiKeyName, call.request)
      const iterator = provider.stream(call.request)[Symbol.asyncIterator]()
      let usage: Usage | undefined
      // Wait for the first text, so a provider failing at once gives a plain problem response.
      let first = await iterator.next()
      while (!first.done && !('delta' in first.value)) {
        usage = first.value.usage
        first = await iterator.next()
      }
      async function* parts(): AsyncIterable<string> {
        if (first.done) return
        if ('delta' in first.value) yield first.value.delta
        for (;;) {
          const next = await iterator.next()
          if (next.done) return
          if ('delta' in next.value) yield next.value.delta
          else usage = next.value.usage
        }
      }
      return {
        parts: parts(),
        finish() {
          const u = usage ?? { promptTokens: 0, completionTokens: 0 }
          const day = utcDay(clock())
          return {
            usage: u,
            async persist(trx) {
              await addUsage(trx, call.apiKeyName, day, u)
              noteWritten(call.apiKeyName, day, u)
            },
          }
        },
      }
    },
  }
}
