import { type ErasureRequestedData, EventTypes, erasedIds, Topics } from '@attune/contracts'
import type { ListenerDefinition } from '@attune/kit'
import { usersChangedBy } from '../domain/users-changed.ts'
import type { Serving } from '../serving/serving.ts'

/**
 * What every replica drops from memory when any replica changed the data behind it: users whose
 * consent, preferences or segments changed, or who saw an ad (caps), are read again on their next
 * decision; erased users are forgotten (cache and unwritten decisions).
 */
/** The profile events ads mirrors (others, such as profile.updated on every interaction, change nothing here). */
const mirrored = new Set<string>([EventTypes.consentChanged.type, EventTypes.preferencesUpdated.type, EventTypes.segmentMembershipChanged.type])

export function servingListeners(serving: Serving): ListenerDefinition[] {
  return [
    {
      name: 'users-changed',
      topics: [Topics.profiles, Topics.interactions],
      handle(events) {
        serving.users.changed(
          usersChangedBy(events.filter((e) => mirrored.has(e.type) || (e.type === EventTypes.interactionRecorded.type && isAdEvent(e.data)))),
        )
        // Mirrored events reach the mirror through this service's consumers, possibly after this
        // replica reads the user again: until then what it reads is not kept.
        for (const e of events) if (mirrored.has(e.type)) for (const userId of usersChangedBy([e])) serving.awaited.expect(userId, e.id)
      },
    },
    {
      name: 'users-erased',
      topics: [Topics.privacy],
      async handle(events) {
        for (const e of events)
          if (e.type === EventTypes.erasureRequested.type) for (const userId of erasedIds(e.data as ErasureRequestedData)) await serving.forget(userId)
      },
    },
  ]
}

function isAdEvent(data: unknown): boolean {
  const t = (data as { interaction?: { type?: unknown } } | null)?.interaction?.type
  return t === 'ad_impression'
}
