import { type AnyEvent, EventTypes, type ItemRemovedData, type ItemUpsertedData } from '@attune/contracts'

/**
 * The users whose recommendation state an event may change: the actor of an interaction (user and
 * anonymous id, merges included) and of a follow of a user, the subject of a preferences, segment,
 * profile (and the anonymous id merged into it) or erasure event.
 */
export function usersChangedBy(events: readonly AnyEvent[]): Set<string> {
  const out = new Set<string>()
  for (const e of events) {
    const data = e.data as { userId?: unknown; anonymousId?: unknown; mergedAnonymousId?: unknown; interaction?: { userId?: unknown; anonymousId?: unknown } }
    for (const id of [data.userId, data.anonymousId, data.mergedAnonymousId, data.interaction?.userId, data.interaction?.anonymousId]) {
      if (typeof id === 'string' && id.length > 0) out.add(id)
    }
  }
  return out
}

/** An item whose recommendability a catalog event changes: removed, hidden or expired items are not live. */
export function itemLiveness(e: AnyEvent, now: number): { itemId: string; live: boolean } | undefined {
  if (e.type === EventTypes.itemRemoved.type) return { itemId: (e.data as ItemRemovedData).itemId, live: false }
  if (e.type !== EventTypes.itemUpserted.type) return undefined
  const { item } = e.data as ItemUpsertedData
  const expired = item.expiresAt !== null && Date.parse(item.expiresAt) <= now
  return { itemId: item.itemId, live: !item.hidden && !expired }
}
