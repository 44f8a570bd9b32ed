import { EventTypes, ItemUpserted, type ItemUpsertedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SentimentModel } from '../analyzer/model.ts'
import type { SentimentDb } from '../db.ts'
import { postTextId, scorePost } from '../domain/score-texts.ts'
import { itemsByIds, upsertItems } from '../store/items-store.ts'
import { type RecordDeps, rescoreTexts } from './record-scores.ts'

type Item = ItemUpsertedData['item']

/**
 * Follows the catalog on `attune.items`: keeps each item's author and topics (so comments count
 * for them) and scores posts (items of type `post` with text) when they are created and again when
 * they are edited; an edit replaces the post's score in the aggregates. An update older than the
 * catalog copy already kept (events can arrive out of order) is not scored.
 */
export function itemsConsumer(deps: { model: SentimentModel; record: (now: Date) => RecordDeps; clock: () => Date }): ConsumerDefinition<SentimentDb> {
  return {
    name: 'items',
    topic: Topics.items,
    types: [EventTypes.itemUpserted.type],
    schema: ItemUpserted,
    async handle(trx, events) {
      const items = events.map((e) => (e.data as ItemUpsertedData).item)
      await upsertItems(
        trx,
        items.map((item) => ({ itemId: item.itemId, authorId: item.author, topics: item.categories, updatedAt: new Date(item.updatedAt) })),
      )
      const posts = new Map<string, Item>()
      for (const item of items) {
        const seen = posts.get(item.itemId)
        if (item.type === 'post' && (!seen || Date.parse(seen.updatedAt) <= Date.parse(item.updatedAt))) posts.set(item.itemId, item)
      }
      if (posts.size === 0) return
      const kept = await itemsByIds(trx, [...posts.keys()])
      const edits = [...posts.values()]
        .filter((item) => kept.get(item.itemId)?.updatedAt.getTime() === Date.parse(item.updatedAt))
        .map((item) => ({ textId: postTextId(item.itemId), scored: scorePost(deps.model, item) }))
      await rescoreTexts(trx, edits, deps.record(deps.clock()))
    },
  }
}
