import { ErasureRequested, type ErasureRequestedData, EventTypes, Topics, topicName } from '@attune/contracts'
import type { KitTables } from '../db/kit-tables.ts'
import type { ConsumerDefinition } from '../events/consumer.ts'
import { makeEvent } from '../events/make-event.ts'
import { enqueueEvents } from '../events/outbox.ts'
import type { PrivacyHooks } from './hooks.ts'

export interface ErasureConsumerOptions {
  /** The service confirming (its name goes into `privacy.erasure-completed`). */
  service: string
  topicPrefix: string
  clock: () => Date
}

/**
 * The consumer the kit adds to every service declaring `privacy.erase`: for each
 * `privacy.erasure-requested` it erases the user and writes `privacy.erasure-completed` to the
 * outbox in the consumer's transaction, so the erasure and its confirmation commit together and a
 * redelivered request (inbox) is neither erased nor confirmed twice.
 */
export function erasureConsumer<DB extends KitTables>(hooks: PrivacyHooks<DB>, opts: ErasureConsumerOptions): ConsumerDefinition<DB> {
  const topic = topicName(opts.topicPrefix, Topics.privacy)
  return {
    name: 'privacy-erasure',
    topic: Topics.privacy,
    types: [EventTypes.erasureRequested.type],
    schema: ErasureRequested,
    async handle(trx, events) {
      const now = opts.clock()
      for (const e of events) {
        const { requestId, userId } = e.data as ErasureRequestedData
        await hooks.erase(trx, userId)
        await enqueueEvents(trx, [
          {
            topic,
            key: userId,
            event: makeEvent(
              { ...EventTypes.erasureCompleted, source: opts.service, subject: userId, data: { requestId, userId, service: opts.service } },
              now,
            ),
          },
        ])
      }
    },
  }
}
