import type { BusMessage, ConsumedMessage, EventBus, Subscription, SubscriptionSpec } from './bus.ts'

interface TopicLog {
  base: number
  messages: ConsumedMessage[]
}

interface Group {
  spec: SubscriptionSpec
  offsets: Map<string, number>
  running: boolean
  stopped: boolean
  idle: Promise<void>
}

/**
 * In-process bus with Kafka-like semantics: one log per topic, one offset per consumer group,
 * delivery asynchronous to `publish`, a failed batch redelivered after a pause.
 * Consumed messages are trimmed, keeping the last `retain` per topic for inspection.
 */
export class MemoryBus implements EventBus {
  readonly kind = 'memory'
  private readonly logs = new Map<string, TopicLog>()
  private readonly groups = new Set<Group>()
  private closed = false

  private readonly opts: { batchSize?: number; retryDelayMs?: number; retain?: number }

  constructor(opts: { batchSize?: number; retryDelayMs?: number; retain?: number } = {}) {
    this.opts = opts
  }

  async publish(messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new Error('bus is closed')
    for (const m of messages) {
      const log = this.log(m.topic)
      const offset = log.base + log.messages.length
      log.messages.push({ ...m, headers: { ...m.headers }, partition: 0, offset: String(offset) })
    }
    for (const g of this.groups) this.wake(g)
  }

  async subscribe(spec: SubscriptionSpec): Promise<Subscription> {
    // A new group reads from the beginning unless told otherwise, as the Kafka adapter does.
    const group: Group = { spec, offsets: new Map(), running: false, stopped: false, idle: Promise.resolve() }
    for (const t of spec.topics) {
      const log = this.log(t)
      group.offsets.set(t, spec.fromBeginning === false ? log.base + log.messages.length : log.base)
    }
    this.groups.add(group)
    this.wake(group)
    return {
      stop: async () => {
        group.stopped = true
        this.groups.delete(group)
        await group.idle
      },
    }
  }

  /** Messages still held for a topic (tests and the DLQ inspector use this). */
  messages(topic: string): ConsumedMessage[] {
    return [...(this.logs.get(topic)?.messages ?? [])]
  }

  /** Resolves once every group has consumed everything published so far. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.groups].filter(
        (g) => g.running || g.spec.topics.some((t) => (g.offsets.get(t) ?? 0) < this.log(t).base + this.log(t).messages.length),
      )
      if (busy.length === 0) return
      await Promise.all(busy.map((g) => g.idle))
      if (busy.every((g) => !g.running)) await new Promise((r) => setImmediate(r))
    }
  }

  async isReady(): Promise<boolean> {
    return !this.closed
  }

  async close(): Promise<void> {
    this.closed = true
    const groups = [...this.groups]
    for (const g of groups) g.stopped = true
    await Promise.all(groups.map((g) => g.idle))
    this.groups.clear()
  }

  private log(topic: string): TopicLog {
    let log = this.logs.get(topic)
    if (!log) {
      log = { base: 0, messages: [] }
      this.logs.set(topic, log)
    }
    return log
  }

  private wake(group: Group): void {
    if (group.running || group.stopped) return
    group.running = true
    group.idle = new Promise<void>((resolve) => setImmediate(() => this.drain(group).finally(resolve)))
  }

  private async drain(group: Group): Promise<void> {
    const batchSize = this.opts.batchSize ?? 500
    try {
      let progressed = true
      while (progressed && !group.stopped) {
        progressed = false
        for (const topic of group.spec.topics) {
          const log = this.log(topic)
          const offset = group.offsets.get(topic) ?? log.base
          const batch = log.messages.slice(offset - log.base, offset - log.base + batchSize)
          if (batch.length === 0) continue
          try {
            await group.spec.handleBatch(batch)
            group.offsets.set(topic, offset + batch.length)
            this.trim(topic)
          } catch {
            await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 200))
          }
          progressed = true
        }
      }
    } finally {
      group.running = false
    }
  }

  private trim(topic: string): void {
    const log = this.log(topic)
    let min = log.base + log.messages.length
    for (const g of this.groups) {
      const o = g.offsets.get(topic)
      if (o !== undefined && o < min) min = o
    }
    const keepFrom = Math.min(min, log.base + log.messages.length - (this.opts.retain ?? 1000))
    if (keepFrom > log.base) {
      log.messages.splice(0, keepFrom - log.base)
      log.base = keepFrom
    }
  }
}
