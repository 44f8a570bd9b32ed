import { type Static, Type } from 'typebox'
import { ExternalId } from './envelope.ts'

export const Emotions = ['anger', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'neutral'] as const

/** `data` of `sentiment.scored` on `attune.sentiment`: one scored text, by ids only. */
export const SentimentScoredData = Type.Object(
  {
    textId: Type.String({ minLength: 1, maxLength: 128, description: 'Id of the scored text (e.g. the comment event id)' }),
    userId: Type.Optional(ExternalId),
    itemId: Type.Optional(ExternalId),
    label: Type.Union([Type.Literal('negative'), Type.Literal('neutral'), Type.Literal('positive')]),
    compound: Type.Number({ minimum: -1, maximum: 1, description: 'Polarity in [-1, 1]' }),
    emotion: Type.Union([
      Type.Literal('anger'),
      Type.Literal('disgust'),
      Type.Literal('fear'),
      Type.Literal('joy'),
      Type.Literal('sadness'),
      Type.Literal('surprise'),
      Type.Literal('neutral'),
    ]),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'What was scored: `comment`, `post` …', examples: ['comment'] })),
    authorId: Type.Optional(ExternalId),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, description: 'Topics (categories) of the item' })),
  },
  { $id: 'SentimentScoredData', additionalProperties: true },
)
export type SentimentScoredData = Static<typeof SentimentScoredData>

/** What a spike is about: negative sentiment is watched per item and per topic. */
export const SpikeDimensions = ['item', 'topic'] as const

/** `data` of `sentiment.spike-detected` on `attune.sentiment`: negative sentiment rose suddenly on an item or topic. */
export const SentimentSpikeDetectedData = Type.Object(
  {
    alertId: Type.String({ format: 'uuid' }),
    dimension: Type.Union([Type.Literal('item'), Type.Literal('topic')]),
    key: Type.String({ minLength: 1, maxLength: 128, description: 'The item id or topic' }),
    windowStart: Type.String({ format: 'date-time' }),
    windowEnd: Type.String({ format: 'date-time' }),
    negative: Type.Integer({ minimum: 0, description: 'Negative texts in the window' }),
    total: Type.Integer({ minimum: 1, description: 'Scored texts in the window' }),
    negativeShare: Type.Number({ minimum: 0, maximum: 1 }),
    baselineShare: Type.Number({ minimum: 0, maximum: 1, description: 'Negative share over the baseline period before the window' }),
  },
  { $id: 'SentimentSpikeDetectedData', additionalProperties: true },
)
export type SentimentSpikeDetectedData = Static<typeof SentimentSpikeDetectedData>
