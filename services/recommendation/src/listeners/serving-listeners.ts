import { EventTypes, Topics } from '@attune/contracts'
import type { ListenerDefinition } from '@attune/kit'
import { itemLiveness, usersChangedBy } from '../domain/users-changed.ts'
import type { ModelRegistry } from '../models/model-registry.ts'
import type { Serving } from '../serving/serving.ts'

/**
 * What every replica drops from memory when any replica's consumers change the data behind it:
 * users touched by interactions, profile changes or erasure; items removed, hidden or expired.
 */
export function servingListeners(serving: Serving, models: ModelRegistry): ListenerDefinition[] {
  return [
    {
      name: 'users-changed',
      topics: [Topics.interactions, Topics.profiles],
      handle: (events) => serving.changed(usersChangedBy(events)),
    },
    {
      name: 'users-erased',
      topics: [Topics.privacy],
      handle(events) {
        for (const e of events) {
          if (e.type !== EventTypes.erasureRequested.type) continue
          for (const userId of usersChangedBy([e])) serving.forget(userId)
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
