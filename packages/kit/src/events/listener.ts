import type { AnyEvent, TopicName } from '@attune/contracts'
import type { Logger } from 'pino'
import type { ConsumedMessage } from './bus.ts'
import { decode } from './consumer.ts'

/**
 * Sees every event of its topics on every replica (a consumer group of its own per process, from
 * the moment the process starts), outside any transaction and without an inbox: for what a replica
 * keeps in memory, such as caches to drop when another replica's consumer changed the data behind
 * them. A listener that throws is logged and the events are not redelivered.
 */
export interface ListenerDefinition {
  name: string
  topics: readonly TopicName[]
  handle(events: AnyEvent[]): void | Promise<void>
}

/** Decodes a batch (skipping what is not an event envelope: the consumers dead-letter it) and calls each listener of its topic. */
export function createListenerRunner(
  listeners: readonly { def: ListenerDefinition; topics: ReadonlySet<string> }[],
  log: Logger,
): (messages: ConsumedMessage[]) => Promise<void> {
  return async (messages) => {
    const byTopic = new Map<string, AnyEvent[]>()
    for (const m of messages) {
      const d = decode(m)
      if (!d.ok) continue
      const list = byTopic.get(m.topic) ?? []
      if (list.length === 0) byTopic.set(m.topic, list)
      list.push(d.event)
    }
    for (const { def, topics } of listeners) {
      const events = [...topics].flatMap((t) => byTopic.get(t) ?? [])
      if (events.length === 0) continue
      try {
        await def.handle(events)
      } catch (err) {
        log.warn({ err, listener: def.name, events: events.length }, 'listener failed; events skipped')
      }
    }
  }
}
