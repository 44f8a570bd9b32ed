import type { AnyEvent } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { KitTables } from '../db/kit-tables.ts'
import type { Metrics } from '../metrics.ts'
import type { EventBus } from './bus.ts'

/** A message for the outbox: an event envelope, or (for dead letters) the raw value as received. */
export type OutboxMessage = {
  /** Full topic name, prefix included. */
  topic: string
  key: string
  headers?: Record<string, string>
} & ({ event: AnyEvent } | { raw: string })

/** Writes events into the outbox inside the caller's transaction (state and events commit together). */
export async function enqueueEvents<DB extends KitTables>(trx: Kysely<DB>, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return
  const db = trx as unknown as Kysely<KitTables>
  // Chunked so one huge batch stays under the 65,535 bind-parameter limit.
  for (let i = 0; i < messages.length; i += 5000) {
    await db
      .insertInto('outbox')
      .values(
        messages.slice(i, i + 5000).map((m) => ({
          topic: m.topic,
          key: m.key,
          payload: 'raw' in m ? m.raw : JSON.stringify(m.event),
          headers: JSON.stringify(m.headers ?? {}),
        })),
      )
      .execute()
  }
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

  /** Publishes one batch; returns how many rows went out. */
  async publishBatch(): Promise<number> {
    const { db, bus, batchSize } = this.opts
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .deleteFrom('outbox')
        .where('id', 'in', trx.selectFrom('outbox').select('id').orderBy('id').limit(batchSize).forUpdate().skipLocked())
        .returning(['id', 'topic', 'key', 'payload', 'headers'])
        .execute()
      if (rows.length === 0) return 0
      rows.sort((a, b) => a.id - b.id)
      await bus.publish(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.payload, headers: r.headers })))
      this.opts.metrics.outboxPublished.inc(rows.length)
      return rows.length
    })
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingNudge = false
      let published = 0
      try {
        published = await this.publishBatch()
        this.failures = 0
      } catch (err) {
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
