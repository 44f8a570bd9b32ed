import { boundedJsonArrays, writePieces } from '@attune/kit'
import { CompiledQuery, type Kysely, type QueryCreator, sql } from 'kysely'
import type { GenerationDb } from '../db.ts'
import type { Usage } from '../domain/usage.ts'
import type { CacheEntry } from '../gateway/llm-gateway.ts'
import { addToExistingUsage, usageShard } from './usage-store.ts'

export interface SpendRow {
  apiKeyName: string
  day: string
  requests: number
  usage: Usage
}

export interface ReturnedBatch {
  /** Each a generation row as JSON (`JSON.stringify` of a NewGeneration: camelCase keys, dates as ISO strings). */
  generations: string[]
  cache: CacheEntry[]
  spend: SpendRow[]
}

type Q = QueryCreator<GenerationDb>

// Each table's rows arrive as ONE jsonb parameter, unpacked by Postgres (jsonb_to_recordset): the
// statement is the same few nodes whatever the batch size, so building and sending it costs the
// event loop a string join, not a query tree of rows × columns for Kysely to build, transform
// and compile (≈1.4 ms a 100 ms batch, in the middle of requests). The record's keys are the
// objects' own (camelCase), in the order of the insert's columns.
const generationRecord = sql`r("generationId" uuid, "apiKeyName" text, "userId" text, "use" text, "voiceId" uuid, "voiceVersion" integer,
  "templateId" text, "templateVersion" integer, "provider" text, "model" text, "cached" boolean, "promptTokens" integer,
  "completionTokens" integer, "variants" jsonb, "why" jsonb, "createdAt" timestamptz)`
const spendRecord = sql`r("apiKeyName" text, "day" date, "shard" smallint, "requests" integer, "promptTokens" bigint, "completionTokens" bigint)`
const cacheRecord = sql`r("cacheKey" text, "userId" text, "provider" text, "model" text, "texts" jsonb, "promptTokens" integer,
  "completionTokens" integer, "expiresAt" timestamptz)`
const rowsOf = (json: string, record: ReturnType<typeof sql>) => sql`select * from jsonb_to_recordset(${json}::jsonb) as ${record}`

/** One row per key and day (a statement may not update the same usage row twice). */
function spendPerDay(spend: SpendRow[]) {
  const out = new Map<string, { apiKeyName: string; day: string; shard: number; requests: number; promptTokens: number; completionTokens: number }>()
  for (const s of spend) {
    const k = `${s.apiKeyName}\0${s.day}`
    const sum = out.get(k)
    if (sum) {
      sum.requests += s.requests
      sum.promptTokens += s.usage.promptTokens
      sum.completionTokens += s.usage.completionTokens
    } else {
      out.set(k, { apiKeyName: s.apiKeyName, day: s.day, shard: usageShard(), requests: s.requests, ...s.usage })
    }
  }
  return [...out.values()]
}

/** The JSON parameters of one batch; undefined leaves its table's statement out. */
interface BatchJson {
  generations?: string
  spend?: string
  cache?: string
}

// Stand-ins bound while a statement is compiled, swapped for the batch's JSON when it runs.
const SLOT = { generations: '\u0000generations', spend: '\u0000spend', cache: '\u0000cache' } as const

function batchQuery(db: Kysely<GenerationDb>, b: BatchJson) {
  let q = db as unknown as Q
  if (b.generations !== undefined) {
    q = q.with('generation', (qc) =>
      qc
        .insertInto('generations')
        .columns([
          'generationId',
          'apiKeyName',
          'userId',
          'use',
          'voiceId',
          'voiceVersion',
          'templateId',
          'templateVersion',
          'provider',
          'model',
          'cached',
          'promptTokens',
          'completionTokens',
          'variants',
          'why',
          'createdAt',
        ])
        .expression(rowsOf(b.generations as string, generationRecord))
        .onConflict((oc) => oc.column('generationId').doNothing()),
    ) as unknown as Q
  }
  if (b.spend !== undefined) {
    q = q.with('spend', (qc) =>
      qc
        .insertInto('tokenUsage')
        .columns(['apiKeyName', 'day', 'shard', 'requests', 'promptTokens', 'completionTokens'])
        .expression(rowsOf(b.spend as string, spendRecord))
        .onConflict(addToExistingUsage),
    ) as unknown as Q
  }
  if (b.cache !== undefined) {
    q = q.with('cache', (qc) =>
      qc
        .insertInto('promptCache')
        .columns(['cacheKey', 'userId', 'provider', 'model', 'texts', 'promptTokens', 'completionTokens', 'expiresAt'])
        .expression(rowsOf(b.cache as string, cacheRecord))
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
  // Postgres runs every data-modifying CTE, whether the statement reads it or not.
  return q.selectNoFrom(sql<number>`1`.as('done'))
}

// The statement has one shape per set of tables in the batch: Kysely builds, transforms and
// compiles it once per shape and database handle (≈0.7 ms of event loop a flush otherwise), and
// each flush binds its JSON in the stand-ins' places.
const compiled = new WeakMap<Kysely<GenerationDb>, Map<string, CompiledQuery>>()

function statementFor(db: Kysely<GenerationDb>, b: BatchJson): CompiledQuery {
  const shape = `${b.generations !== undefined ? 'g' : ''}${b.spend !== undefined ? 's' : ''}${b.cache !== undefined ? 'c' : ''}`
  let byShape = compiled.get(db)
  if (!byShape) {
    byShape = new Map()
    compiled.set(db, byShape)
  }
  let statement = byShape.get(shape)
  if (!statement) {
    const slots: BatchJson = {
      ...(b.generations !== undefined ? { generations: SLOT.generations } : {}),
      ...(b.spend !== undefined ? { spend: SLOT.spend } : {}),
      ...(b.cache !== undefined ? { cache: SLOT.cache } : {}),
    }
    statement = batchQuery(db, slots).compile()
    byShape.set(shape, statement)
  }
  const parameters = statement.parameters.map((p) => (p === SLOT.generations ? b.generations : p === SLOT.spend ? b.spend : p === SLOT.cache ? b.cache : p))
  return CompiledQuery.raw(statement.sql, parameters)
}

/** A cache entry as its record's JSON. */
const cacheJson = (c: CacheEntry) =>
  JSON.stringify({
    cacheKey: c.cacheKey,
    userId: c.userId,
    provider: c.completion.provider,
    model: c.completion.model,
    texts: c.completion.texts,
    promptTokens: c.completion.usage.promptTokens,
    completionTokens: c.completion.usage.completionTokens,
    expiresAt: c.expiresAt,
  })

/**
 * Writes a batch of outputs that were returned straight to their callers (no review), their cache
 * entries and their token spend: one statement (data-modifying CTEs, one round trip) when its JSON
 * is small, else a statement per piece of at most MAX_PARAMETER_CHARS, the spend with the last,
 * in one transaction (a 250-output batch was one 240 KB parameter: about 120 page faults a flush
 * in this process, ~1 ms of them before the statement was even sent, and large allocations in
 * Postgres). Atomic either way. A generation already written (a batch retried after a lost commit
 * acknowledgement) is skipped; its spend would then count twice, which errs on the side of the budget.
 * With `trx`, runs in that transaction (statements still compiled, and cached, for `db`).
 */
export async function recordReturned(db: Kysely<GenerationDb>, b: ReturnedBatch, trx?: Kysely<GenerationDb>): Promise<void> {
  const spend = spendPerDay(b.spend)
  // In key order, as every flush locks them: two replicas' flushes cannot wait on each other.
  const cache = [...new Map(b.cache.map((c) => [c.cacheKey, c])).values()].sort((x, y) => (x.cacheKey < y.cacheKey ? -1 : x.cacheKey > y.cacheKey ? 1 : 0))
  if (b.generations.length + spend.length + cache.length === 0) return
  const generations = boundedJsonArrays(b.generations)
  const caches = boundedJsonArrays(cache.map(cacheJson))
  const count = Math.max(generations.length, caches.length, 1)
  const pieces: BatchJson[] = Array.from({ length: count }, (_, i) => {
    const piece: BatchJson = {}
    if (generations[i] !== undefined) piece.generations = generations[i]
    if (caches[i] !== undefined) piece.cache = caches[i]
    // Last: the key's usage rows, which requests also update, stay locked for one statement only.
    if (i === count - 1 && spend.length > 0) piece.spend = JSON.stringify(spend)
    return piece
  })
  // Compiled for `db` (statements are cached per handle), run on the transaction when there is one.
  await writePieces(trx ?? db, pieces, (q, piece) => q.executeQuery(statementFor(db, piece)))
}
