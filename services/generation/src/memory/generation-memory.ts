import type { ServiceContext } from '@attune/kit'
import type { GenerationConfig } from '../config.ts'
import type { BrandVoicesTable, GenerationDb } from '../db.ts'
import { resolveSettings } from '../settings.ts'
import type { ReviewPolicy } from '../store/policies-store.ts'
import { tokensSpent } from '../store/usage-store.ts'
import { OutputLog } from './output-log.ts'
import { ReadCache } from './read-cache.ts'
import { SpendLedger } from './spend-ledger.ts'

/** What one replica keeps in memory so `POST /v1/generate` needs no database round trip. */
export interface GenerationMemory {
  spend: SpendLedger
  outputs: OutputLog
  voices: ReadCache<BrandVoicesTable | undefined>
  policies: ReadCache<ReviewPolicy>
  /** Erasure: nothing of the user stays in memory or is written later. */
  forget(userId: string): Promise<void>
  /** Writes what is left (at shutdown). */
  close(): Promise<void>
}

function createMemory(ctx: ServiceContext<GenerationDb, GenerationConfig>): GenerationMemory {
  const { memory: m } = resolveSettings(ctx.config)
  const now = () => ctx.clock().getTime()
  const spend = new SpendLedger({ read: (key, day) => tokensSpent(ctx.db, key, day), refreshMs: m.spendRefreshMs, now, log: ctx.log })
  const outputs = new OutputLog(ctx.db, spend, { flushMs: m.outputFlushMs, maxBuffered: 500, schema: ctx.schema, log: ctx.log })
  return {
    spend,
    outputs,
    voices: new ReadCache({ ttlMs: m.readCacheTtlMs, maxEntries: 1000, now }),
    policies: new ReadCache({ ttlMs: m.readCacheTtlMs, maxEntries: 100, now }),
    forget: (userId) => outputs.forget(userId),
    close: () => outputs.close(),
  }
}

const memories = new WeakMap<object, GenerationMemory>()

/** The memory of one service instance (routes and listeners get the same context object). */
export function memoryFor(ctx: ServiceContext<GenerationDb, GenerationConfig>): GenerationMemory {
  let m = memories.get(ctx)
  if (!m) {
    m = createMemory(ctx)
    memories.set(ctx, m)
  }
  return m
}
