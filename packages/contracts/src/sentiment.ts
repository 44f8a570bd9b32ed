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
  },
  { $id: 'SentimentScoredData', additionalProperties: true },
)
export type SentimentScoredData = Static<typeof SentimentScoredData>
