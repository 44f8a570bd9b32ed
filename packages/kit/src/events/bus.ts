/** A message as it goes onto a topic. `value` is the JSON-encoded event envelope. */
export interface BusMessage {
  topic: string
  key: string
  value: string
  headers?: Record<string, string>
}

/** A message as a consumer receives it. */
export interface ConsumedMessage extends BusMessage {
  partition: number
  offset: string
}

export interface SubscriptionSpec {
  /** Consumer group: every replica of a service shares one. */
  groupId: string
  topics: string[]
  /** Read each topic from its start when the group has no committed offset (default), or only what is published from now on. */
  fromBeginning?: boolean
  /**
   * Called with messages in partition order. Throwing means "not processed": the bus delivers
   * the batch again (after a pause), so handlers must be idempotent.
   */
  handleBatch(messages: ConsumedMessage[]): Promise<void>
}

export interface Subscription {
  stop(): Promise<void>
}

/** The event transport port; kafkajs in production, in-memory in embedded mode and unit tests. */
export interface EventBus {
  readonly kind: 'kafka' | 'memory'
  publish(messages: BusMessage[]): Promise<void>
  subscribe(spec: SubscriptionSpec): Promise<Subscription>
  /** True when the bus can publish now (used by /health/ready). */
  isReady(): Promise<boolean>
  close(): Promise<void>
}
