import { type ErasureRequestedData, EventTypes, erasedIds, Topics } from '@attune/contracts'
import type { ListenerDefinition } from '@attune/kit'
import { itemLiveness, usersChangedBy } from '../domain/users-changed.ts'
import type { ModelRegistry } from '../models/model-registry.ts'
import type { Serving } from '../serving/serving.ts'

/** Event types this service's consumers apply (each with an inbox row in the same transaction). */
const APPLIED_BY_CONSUMERS = new Set<string>([
  EventTypes.interactionRecorded.type,
  EventTypes.preferencesUpdated.type,
  EventTypes.segmentMembershipChanged.type,
])

/**
 * What every replica drops from memory when any replica's consumers change the data behind it:
 * users touched by interactions, profile changes or erasure; items removed, hidden or expired.
 */
export function servingListeners(serving: Serving, models: ModelRegistry): ListenerDefinition[] {
  return [
    {
      name: 'users-changed',
      topics: [Topics.interactions, Topics.profiles],
      handle(events) {
        serving.changed(usersChangedBy(events))
        for (const e of events) {
          if (!APPLIED_BY_CONSUMERS.has(e.type)) continue
          for (const userId of usersChangedBy([e])) serving.awaited.expect(userId, e.id)
        }
      },
    },
    {
      name: 'users-erased',
      topics: [Topics.privacy],
      async handle(events) {
        for (const e of events) {
          if (e.type !== EventTypes.erasureRequested.type) continue
          for (const userId of erasedIds(e.data as ErasureRequestedData)) await serving.forget(userId)
        }
      },
    },
    {
      name: 'items-withdrawn',
      topics: [Topics.items],
      handle(events) {
        const now = Date.now()
        for (const e of events) {
          const change = itemLiveness(e, now)
          if (change) models.itemChanged(change.itemId, change.live)
        }
      },
    },
  ]
}
