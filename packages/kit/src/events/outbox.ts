import type { AnyEvent } from '@attune/contracts'
import { type Insertable, type Kysely, sql } from 'kysely'
import type { Logger } from 'pino'
import { boundedRuns, MAX_PARAMETER_CHARS } from '../bounded-join.ts'
import type { KitTables, OutboxTable } from '../db/kit-tables.ts'
import type { Metrics } from '../metrics.ts'
import type { BusMessage, EventBus } from './bus.ts'

/** A message for the outbox: an event envelope, or (for dead letters) the raw value as received. */
export type OutboxMessage = {
  /** Full topic name, prefix included. */
  topic: string
  key: string
  headers?: Record<string, string>
} & ({ event: AnyEvent } | { raw: string })

/**
 * Most characters of event values one outbox row's payload holds (a lone value longer than that
 * is a row of its own; a relay batch publishes `batchSize` rows). It used to be 1,000 events, up
 * to ~600 KB: a string over 128 KB is built, sent, and read back by the relay in V8's
 * large-object space, a page fault per 4 KB each time (see MAX_PARAMETER_CHARS).
 */
export const PAYLOAD_MAX_CHARS = MAX_PARAMETER_CHARS

/** Per-message metadata of a row holding several messages (`outbox.batch`). */
interface BatchEntry {
  t: string
  k: string
  h?: Record<string, string>
}

type EventMessage = OutboxMessage & { event: AnyEvent }

/**
 * Writes events into the outbox inside the caller's transaction (state and events commit
 * together). Events go in rows of up to `PAYLOAD_MAX_CHARS` (the kit's boundedRuns), their values
 * one per line of the payload: `JSON.stringify` never writes a raw line break. Dead letters (`raw`,
 * which may hold line breaks) and lone events keep a row each.
 */
export async function enqueueEvents<DB extends KitTables>(trx: Kysely<DB>, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return
  const db = trx as unknown as Kysely<KitTables>
  const rows: Insertable<OutboxTable>[] = []
  const events: EventMessage[] = []
  const single = (m: OutboxMessage, payload: string) => ({ topic: m.topic, key: m.key, payload, headers: JSON.stringify(m.headers ?? {}), batch: null })
  for (const m of messages) {
    if ('raw' in m) rows.push(single(m, m.raw))
    else events.push(m)
  }
  const values = events.map((m) => JSON.stringify(m.event))
  for (const [from, to] of boundedRuns(values, '\n', PAYLOAD_MAX_CHARS)) {
    const first = events[from] as EventMessage
    if (to - from === 1) {
      rows.push(single(first, values[from] as string))
      continue
    }
    const batch: BatchEntry[] = events.slice(from, to).map((m) => (m.headers ? { t: m.topic, k: m.key, h: m.headers } : { t: m.topic, k: m.key }))
    rows.push({ topic: first.topic, key: first.key, payload: values.slice(from, to).join('\n'), headers: '{}', batch: JSON.stringify(batch) })
  }
  // Chunked so one huge batch of dead letters stays under the 65,535 bind-parameter limit.
  for (let i = 0; i < rows.length; i += 5000)
    await db
      .insertInto('outbox')
      .values(rows.slice(i, i + 5000))
      .execute()
}

/** The bus messages an outbox row holds, in order. */
export function messagesOfRow(row: { topic: string; key: string; payload: string; headers: Record<string, string>; batch: string | null }): BusMessage[] {
  if (row.batch === null) return [{ topic: row.topic, key: row.key, value: row.payload, headers: row.headers }]
  const entries = JSON.parse(row.batch) as BatchEntry[]
  const values = row.payload.split('\n')
  return entries.map((e, i) => ({ topic: e.t, key: e.k, value: values[i] ?? '', headers: e.h ?? {} }))
}

export interface OutboxRelayOptions {
  db: Kysely<KitTables>
  bus: EventBus
  log: Logger
  metrics: Metrics
  batchSize: number
  pollMs: number
}

/**
 * Publishes outbox rows in id order. Each batch is claimed and deleted in one transaction
 * (`FOR UPDATE SKIP LOCKED`, so replicas share the work) and the transaction commits only
 * after the bus acknowledged: a crash before that leaves the rows for the next run.
 */
export class OutboxRelay {
  private running = false
  private loop: Promise<void> | undefined
  private wakeUp: (() => void) | undefined
  private pendingNudge = false
  private failures = 0

  private readonly opts: OutboxRelayOptions

  constructor(opts: OutboxRelayOptions) {
    this.opts = opts
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Asks the relay to look now (called after a transaction that wrote events commits). */
  nudge(): void {
    this.pendingNudge = true
    this.wakeUp?.()
  }

  /** Publishes one batch of rows; returns how many messages went out. */
  async publishBatch(): Promise<number> {
    return (await this.publishRows()).messages
  }

  private async publishRows(): Promise<{ rows: number; messages: number }> {
    const { db, bus, batchSize } = this.opts
    return db.transaction().execute(async (trx) => {
      // Losing this commit in a crash only publishes the rows again (at least once; consumers
      // de-duplicate by event id), so it need not wait for its WAL flush.
      await sql`set local synchronous_commit = off`.execute(trx)
      const rows = await trx
        .deleteFrom('outbox')
        .where('id', 'in', trx.selectFrom('outbox').select('id').orderBy('id').limit(batchSize).forUpdate().skipLocked())
        .returning(['id', 'topic', 'key', 'payload', 'headers', 'batch'])
        .execute()
      if (rows.length === 0) return { rows: 0, messages: 0 }
      rows.sort((a, b) => a.id - b.id)
      const messages = rows.flatMap(messagesOfRow)
      await bus.publish(messages)
      this.opts.metrics.outboxPublished.inc(messages.length)
      return { rows: rows.length, messages: messages.length }
    })
  }

  /** Whether any row waits (one read, no transaction). */
  private async anyPending(): Promise<boolean> {
    return (await this.opts.db.selectFrom('outbox').select('id').orderBy('id').limit(1).executeTakeFirst()) !== undefined
  }

  private async run(): Promise<void> {
    // The last look found nothing: the next poll that was not nudged first reads whether anything
    // waits, one statement, instead of a claiming transaction of four (every replica of every
    // service polls every OUTBOX_POLL_MS, mostly finding nothing).
    let idle = false
    while (this.running) {
      const nudged = this.pendingNudge
      this.pendingNudge = false
      let published = 0
      try {
        if (!idle || nudged || (await this.anyPending())) published = (await this.publishRows()).rows
        this.failures = 0
        idle = published === 0
      } catch (err) {
        idle = false
        this.failures++
        this.opts.metrics.outboxErrors.inc()
        this.opts.log.warn({ err, failures: this.failures }, 'outbox publish failed')
      }
      if (!this.running) break
      if (published === this.opts.batchSize && this.failures === 0) continue
      const delay = this.failures > 0 ? Math.min(30_000, this.opts.pollMs * 2 ** this.failures) : this.opts.pollMs
      if (this.pendingNudge && this.failures === 0) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay)
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wakeUp = undefined
    }
  }

  /** Publishes what is left until the outbox is empty or the deadline passes, then stops. */
  async drain(timeoutMs: number): Promise<number> {
    await this.stop()
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      try {
        if ((await this.publishBatch()) === 0) return 0
      } catch (err) {
        this.opts.log.warn({ err }, 'outbox drain publish failed')
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const row = await this.opts.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
      .catch(() => undefined)
    const remaining = Number(row?.n ?? -1)
    this.opts.log.warn({ remaining }, 'outbox not fully drained before shutdown; the rest goes out on next start')
    return remaining
  }

  async stop(): Promise<void> {
    this.running = false
    this.wakeUp?.()
    await this.loop
    this.loop = undefined
  }
}
