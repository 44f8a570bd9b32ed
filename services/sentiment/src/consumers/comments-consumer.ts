import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SentimentModel } from '../analyzer/model.ts'
import type { SentimentDb } from '../db.ts'
import type { ScoredText } from '../domain/buckets.ts'
import { scoreComment } from '../domain/score-texts.ts'
import { itemsByIds } from '../store/items-store.ts'
import { type RecordDeps, recordScores } from './record-scores.ts'

/** Scores comments from `attune.interactions`, aggregates them and publishes `attune.sentiment`. */
export function commentsConsumer(deps: { model: SentimentModel; record: (now: Date) => RecordDeps; clock: () => Date }): ConsumerDefinition<SentimentDb> {
  return {
    name: 'comments',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      const comments = events.flatMap((e) => {
        const d = e.data as InteractionRecordedData
        return d.interaction.type === 'comment' ? [{ comment: d.interaction, at: new Date(d.interaction.time ?? e.time) }] : []
      })
      if (comments.length === 0) return
      const items = await itemsByIds(
        trx,
        comments.map((c) => c.comment.itemId),
      )
      const scored: ScoredText[] = []
      for (const { comment, at } of comments) {
        const s = scoreComment(deps.model, comment, at, items.get(comment.itemId))
        if (s) scored.push(s)
      }
      await recordScores(trx, scored, deps.record(deps.clock()))
    },
  }
}
