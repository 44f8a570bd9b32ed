import { EventTypes, ItemUpserted, type ItemUpsertedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SentimentModel } from '../analyzer/model.ts'
import type { SentimentDb } from '../db.ts'
import type { ScoredText } from '../domain/buckets.ts'
import { scorePost } from '../domain/score-texts.ts'
import { upsertItems } from '../store/items-store.ts'
import { type RecordDeps, recordScores } from './record-scores.ts'

/**
 * Follows the catalog on `attune.items`: keeps each item's author and topics (so comments count
 * for them) and scores new posts (items of type `post` with text) once, when they are created.
 */
export function itemsConsumer(deps: { model: SentimentModel; record: (now: Date) => RecordDeps; clock: () => Date }): ConsumerDefinition<SentimentDb> {
  return {
    name: 'items',
    topic: Topics.items,
    types: [EventTypes.itemUpserted.type],
    schema: ItemUpserted,
    async handle(trx, events) {
      const upserts = events.map((e) => e.data as ItemUpsertedData)
      await upsertItems(
        trx,
        upserts.map(({ item }) => ({ itemId: item.itemId, authorId: item.author, topics: item.categories, updatedAt: new Date(item.updatedAt) })),
      )
      const posts: ScoredText[] = []
      for (const { item, created } of upserts) {
        if (!created || item.type !== 'post') continue
        const s = scorePost(deps.model, item)
        if (s) posts.push(s)
      }
      await recordScores(trx, posts, deps.record(deps.clock()))
    },
  }
}
