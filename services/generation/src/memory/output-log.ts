import { erasedAfterCollection, erasureLockKey, WriteBehindLog } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { GenerationDb } from '../db.ts'
import type { CacheEntry } from '../gateway/llm-gateway.ts'
import { deleteReturnedOf } from '../store/erase-user.ts'
import type { GenerationWrite } from '../store/record-generation.ts'
import { recordReturned, type SpendRow } from '../store/record-returned.ts'
import type { SpendLedger } from './spend-ledger.ts'

type Generation = GenerationWrite['generation']

/**
 * A returned output as its JSON text: one string instead of some fifty objects for the
 * young-generation collections to copy while it waits to be written; and the flush sends the text
 * as is.
 */
type Row =
  | { kind: 'generation'; generationId: string; userId: string | null; json: string; cache: CacheEntry[]; receivedAt: number }
  | { kind: 'spend'; id: string; spend: SpendRow }

function parseGeneration(json: string): Generation {
  const g = JSON.parse(json) as Omit<Generation, 'createdAt'> & { createdAt: string }
  return { ...g, createdAt: new Date(g.createdAt) }
}

/** A Date's `toJSON` takes `JSON.stringify` off V8's fast path (≈2.5× slower); the same text. */
export const generationJson = (g: Generation) => JSON.stringify({ ...g, createdAt: g.createdAt.toISOString() })

const tokensOf = (s: SpendRow) => s.usage.promptTokens + s.usage.completionTokens

/**
 * Outputs returned straight to their caller (nothing to review), written behind the response: in
 * one write every `flushMs` (the kit's WriteBehindLog) instead of one per request. Until
 * written, this replica answers them, and their prompt-cache entries, from memory, and their
 * tokens count against the key's budget (SpendLedger); once written, the table answers. A crash
 * loses at most the last interval's records; their spend too. Outputs waiting for review never
 * come here: they are written before the response.
 *
 * Nothing is kept after it is written (issue 7): the 2,000 outputs this kept for reading back
 * outlived every young-generation collection, so each collection copied and promoted about 1 MB
 * of them (a pause of 3-9 ms on whichever request was in flight) for a read that is rare and
 * one query away.
 *
 * An output is generated seconds after its request arrived, and recorded after that: its user's
 * erasure may have run meanwhile (`forget` came before it was recorded). So the flush checks the
 * outputs about a user against the erasures' tombstones in its transaction, under the schema's
 * erasure lock shared (kit's `erasedAfterCollection`), and leaves out those received before their
 * user's erasure was asked for (their spend is written: the key's usage, not the user's data).
 */
export class OutputLog {
  private readonly log: WriteBehindLog<Row>
  private readonly db: Kysely<GenerationDb>
  private readonly spend: SpendLedger
  private readonly unwrittenCache = new Map<string, CacheEntry>()
  private readonly lockKey: number

  /** `schema`: the service's, whose erasure lock and tombstones the flush checks. */
  constructor(db: Kysely<GenerationDb>, spend: SpendLedger, o: { flushMs: number; maxBuffered: number; schema: string; log?: Logger }) {
    this.db = db
    this.spend = spend
    this.lockKey = erasureLockKey(o.schema)
    this.log = new WriteBehindLog<Row>({
      ...o,
      recentMax: 0,
      write: (rows) => this.write(rows),
      idOf: (r) => (r.kind === 'generation' ? r.generationId : r.id),
      userOf: (r) => (r.kind === 'generation' ? r.userId : null),
      what: 'returned generations',
    })
  }

  get flushMs(): number {
    return this.log.flushMs
  }

  /** Records an output and its spend (`requests` provider calls); its tokens count at once. `receivedAt`: when its request arrived. */
  record(w: Pick<GenerationWrite, 'generation' | 'cache' | 'spend'>, receivedAt: Date): void {
    const g = w.generation
    this.spend.hold(w.spend.apiKeyName, w.spend.day, tokensOf(w.spend))
    for (const c of w.cache) this.unwrittenCache.set(c.cacheKey, c)
    // Bounded like the log itself, which drops its oldest rows in a long database outage.
    while (this.unwrittenCache.size > 10_000) this.unwrittenCache.delete(this.unwrittenCache.keys().next().value as string)
    // The spend is a row of its own: erasing the user drops the output, not the key's usage.
    this.log.record([
      { kind: 'generation', generationId: g.generationId, userId: g.userId, json: generationJson(g), cache: w.cache, receivedAt: receivedAt.getTime() },
      { kind: 'spend', id: `spend:${g.generationId}`, spend: w.spend },
    ])
  }

  /** An output this replica returned and has not written yet (a scan: reads are rare, writes are not). */
  unwritten(generationId: string): Generation | undefined {
    for (const r of this.log.unwritten()) if (r.kind === 'generation' && r.generationId === generationId) return parseGeneration(r.json)
    return undefined
  }

  /** A prompt-cache entry recorded here and not written yet. */
  cached(cacheKey: string, now: Date): CacheEntry | undefined {
    const c = this.unwrittenCache.get(cacheKey)
    return c && c.expiresAt > now ? c : undefined
  }

  /**
   * Erasure: nothing of the user is written any more. A flush may have written rows of theirs after
   * the erasure consumer (on any replica) deleted the user, so once this replica's flush in flight
   * is done they are deleted again (idempotent).
   */
  async forget(userId: string): Promise<void> {
    for (const [k, c] of this.unwrittenCache) if (c.userId === userId) this.unwrittenCache.delete(k)
    await this.log.forgetAfterWrite(userId)
    await deleteReturnedOf(this.db, userId)
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  close(): Promise<void> {
    return this.log.close()
  }

  private async write(rows: Row[]): Promise<void> {
    type GenerationRow = Extract<Row, { kind: 'generation' }>
    const generations = rows.flatMap((r) => (r.kind === 'generation' ? [r] : []))
    const spend = rows.flatMap((r) => (r.kind === 'spend' ? [r.spend] : []))
    const batch = (kept: GenerationRow[]) => ({ generations: kept.map((r) => r.json), cache: kept.flatMap((r) => r.cache), spend })
    const aboutUsers = generations.filter((r) => r.userId !== null)
    if (aboutUsers.length === 0) await recordReturned(this.db, batch(generations))
    else {
      await this.db.transaction().execute(async (trx) => {
        // First, under the erasure lock shared: an erasure running meanwhile either waits for this
        // flush (and deletes what it wrote) or has committed the tombstones read here.
        const erased = await erasedAfterCollection(
          trx,
          this.lockKey,
          aboutUsers.map((r) => r.receivedAt),
          (i) => [(aboutUsers[i] as GenerationRow).userId as string],
        )
        const gone = new Set([...erased].map((i) => aboutUsers[i]))
        await recordReturned(this.db, batch(gone.size === 0 ? generations : generations.filter((r) => !gone.has(r))), trx)
      })
    }
    for (const s of spend) this.spend.written(s.apiKeyName, s.day, tokensOf(s), true)
    for (const r of generations) for (const c of r.cache) if (this.unwrittenCache.get(c.cacheKey) === c) this.unwrittenCache.delete(c.cacheKey)
  }
}
