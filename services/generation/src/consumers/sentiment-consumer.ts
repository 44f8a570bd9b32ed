import { EventEnvelope, EventTypes, SentimentScoredData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { GenerationDb } from '../db.ts'
import { saveSentiment } from '../store/signals-store.ts'

const SentimentScored = EventEnvelope(SentimentScoredData, 'SentimentScored')

/** Keeps each user's latest sentiment from `attune.sentiment`: their current mood shapes the tone. */
export const sentimentConsumer: ConsumerDefinition<GenerationDb> = {
  name: 'sentiment',
  topic: Topics.sentiment,
  types: [EventTypes.sentimentScored.type],
  schema: SentimentScored,
  async handle(trx, events) {
    const rows = events.flatMap((e) => {
      const d = e.data as SentimentScoredData
      return d.userId ? [{ userId: d.userId, compound: d.compound, at: new Date(e.time) }] : []
    })
    await saveSentiment(trx, rows)
  },
}
