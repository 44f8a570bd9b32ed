import { EventTypes, type Item, type ItemRemovedData, type ItemUpsertedData } from '@attune/contracts'
import { makeEvent, type OutboxMessage } from '@attune/kit'

/** Where catalog events go and who signs them. */
export interface CatalogEventTarget {
  topic: string
  source: string
  now: Date
}

/** One `item.upserted` per created or changed item, keyed by item id. */
export function itemUpsertedMessages(changed: { created: Item[]; updated: Item[] }, t: CatalogEventTarget): OutboxMessage[] {
  const message = (item: Item, created: boolean): OutboxMessage => ({
    topic: t.topic,
    key: item.itemId,
    event: makeEvent<ItemUpsertedData>({ ...EventTypes.itemUpserted, source: t.source, subject: item.itemId, data: { item, created } }, t.now),
  })
  return [...changed.created.map((i) => message(i, true)), ...changed.updated.map((i) => message(i, false))]
}

/** One `item.removed` per removed item, keyed by item id. */
export function itemRemovedMessages(itemIds: string[], t: CatalogEventTarget): OutboxMessage[] {
  return itemIds.map((itemId) => ({
    topic: t.topic,
    key: itemId,
    event: makeEvent<ItemRemovedData>(
      { ...EventTypes.itemRemoved, source: t.source, subject: itemId, data: { itemId, removedAt: t.now.toISOString() } },
      t.now,
    ),
  }))
}
