import { ErasureRequested, type ErasureRequestedData, EventTypes, erasedIds, Topics, topicName } from '@attune/contracts'
import type { Transaction } from 'kysely'
import type { KitTables } from '../db/kit-tables.ts'
import type { ConsumerDefinition } from '../events/consumer.ts'
import { makeEvent } from '../events/make-event.ts'
import { enqueueEvents } from '../events/outbox.ts'
import { erasureLockKey, lockForErasure, recordErasedSubjects } from './erased-subjects.ts'
import type { PrivacyHooks } from './hooks.ts'

export interface ErasureConsumerOptions {
  /** The service confirming (its name goes into `privacy.erasure-completed`). */
  service: string
  topicPrefix: string
  clock: () => Date
  /** The service's schema: its erasure lock (see erased-subjects.ts). */
  schema: string
}

/**
 * The consumer the kit adds to every service declaring `privacy.erase`: for each
 * `privacy.erasure-requested` it erases the user, and each anonymous id merged into it, and writes
 * `privacy.erasure-completed` to the outbox in the consumer's transaction, so the erasure and its
 * confirmation commit together and a redelivered request (inbox) is neither erased nor confirmed
 * twice. Before erasing it records the ids' tombstones, under the service's erasure lock, which
 * its other consumers share: an event about them dated before the request, consumed later, is then
 * dropped instead of bringing the user back.
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
      const kit = trx as unknown as Transaction<KitTables>
      await lockForErasure(kit, erasureLockKey(opts.schema))
      for (const e of events) {
        const data = e.data as ErasureRequestedData
        const { requestId, userId } = data
        const ids = erasedIds(data)
        await recordErasedSubjects(kit, ids, new Date(e.time))
        for (const id of ids) await hooks.erase(trx, id)
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
