import { type Consumer, Kafka, type KafkaConfig, type LogEntry, logLevel, type Producer } from 'kafkajs'
import type { Logger } from 'pino'
import type { BusMessage, ConsumedMessage, EventBus, Subscription, SubscriptionSpec } from './bus.ts'

export interface KafkaBusOptions {
  brokers: string[]
  clientId: string
  log: Logger
  /** Max messages handed to a handler at once. */
  batchSize?: number
  /** A fetch waits for this many bytes or `fetchMaxWaitMs`, whichever comes first. */
  fetchMinBytes?: number
  fetchMaxWaitMs?: number
  /** Partitions one consumer applies at the same time (order within a partition is kept). */
  partitionsConcurrency?: number
}

function kafkaLogCreator(log: Logger) {
  const child = log.child({ component: 'kafkajs' })
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, ...rest } = entry
      if (level <= logLevel.ERROR) child.error(rest, message)
      else if (level === logLevel.WARN) child.warn(rest, message)
      else child.debug(rest, message)
    }
}

/** kafkajs adapter: acks from all in-sync replicas, key = subject, one consumer per group. */
export class KafkaBus implements EventBus {
  readonly kind = 'kafka'
  private readonly kafka: Kafka
  private producer: Producer | undefined
  private connecting: Promise<Producer> | undefined
  private connected = false
  private readonly consumers = new Set<Consumer>()

  private readonly opts: KafkaBusOptions

  constructor(opts: KafkaBusOptions) {
    this.opts = opts
    const config: KafkaConfig = {
      clientId: opts.clientId,
      brokers: opts.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(opts.log),
      retry: { initialRetryTime: 100, retries: 8 },
    }
    this.kafka = new Kafka(config)
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer && this.connected) return this.producer
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: true })
      producer.on(producer.events.DISCONNECT, () => {
        this.connected = false
      })
      await producer.connect()
      this.connected = true
      this.producer = producer
      return producer
    })().finally(() => {
      this.connecting = undefined
    })
    return this.connecting
  }

  async publish(messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return
    const producer = await this.getProducer()
    const byTopic = new Map<string, { key: string; value: string; headers?: Record<string, string> }[]>()
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? []
      if (list.length === 0) byTopic.set(m.topic, list)
      list.push({ key: m.key, value: m.value, headers: m.headers ?? {} })
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) })
  }

  async subscribe(spec: SubscriptionSpec): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: spec.groupId,
      allowAutoTopicCreation: true,
      retry: { retries: 10 },
      minBytes: this.opts.fetchMinBytes ?? 1,
      maxWaitTimeInMs: this.opts.fetchMaxWaitMs ?? 5000,
    })
    await consumer.connect()
    await consumer.subscribe({ topics: spec.topics, fromBeginning: spec.fromBeginning ?? true })
    const batchSize = this.opts.batchSize ?? 500
    await consumer.run({
      partitionsConsumedConcurrently: this.opts.partitionsConcurrency ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
        for (let i = 0; i < batch.messages.length; i += batchSize) {
          if (!isRunning() || isStale()) return
          const chunk = batch.messages.slice(i, i + batchSize)
          const decoded: ConsumedMessage[] = chunk.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key?.toString() ?? '',
            value: m.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')])),
          }))
          await spec.handleBatch(decoded)
          const last = chunk[chunk.length - 1]
          if (last) resolveOffset(last.offset)
          await commitOffsetsIfNecessary()
          await heartbeat()
        }
      },
    })
    this.consumers.add(consumer)
    return {
      stop: async () => {
        this.consumers.delete(consumer)
        await consumer.disconnect()
      },
    }
  }

  async isReady(): Promise<boolean> {
    try {
      await this.getProducer()
      return this.connected
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()))
    this.consumers.clear()
    if (this.producer) await this.producer.disconnect()
    this.connected = false
  }
}
