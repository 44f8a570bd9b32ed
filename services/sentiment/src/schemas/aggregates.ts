import { type Static, Type } from 'typebox'

export const AggregateQuery = Type.Object(
  {
    window: Type.Union([Type.Literal('1h'), Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')], {
      default: '24h',
      examples: ['1h'],
      description: 'How far back, ending now; the series steps by 15 min (1h), 1 h (24h), 6 h (7d) or 1 day (30d)',
    }),
  },
  { additionalProperties: false },
)
export type AggregateQuery = Static<typeof AggregateQuery>

export const AggregateParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128, description: 'Item, author or user id, or topic', examples: ['article-7'] }) },
  { additionalProperties: false },
)

const Counts = {
  total: Type.Integer({ minimum: 0, description: 'Scored texts' }),
  negative: Type.Integer({ minimum: 0 }),
  neutral: Type.Integer({ minimum: 0 }),
  positive: Type.Integer({ minimum: 0 }),
  averageCompound: Type.Union([Type.Number({ minimum: -1, maximum: 1 }), Type.Null()], { description: 'Mean compound score; null with no texts' }),
}

export const SentimentAggregate = Type.Object(
  {
    dimension: Type.Union([Type.Literal('item'), Type.Literal('author'), Type.Literal('topic'), Type.Literal('user')]),
    key: Type.String(),
    window: Type.String(),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    ...Counts,
    emotions: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Texts per dominant Ekman emotion' }),
    series: Type.Array(Type.Object({ start: Type.String({ format: 'date-time' }), ...Counts }, { additionalProperties: false }), {
      description: 'Every step of the window, oldest first (steps without texts included)',
    }),
  },
  {
    $id: 'SentimentAggregate',
    additionalProperties: false,
    examples: [
      {
        dimension: 'item',
        key: 'article-7',
        window: '1h',
        from: '2026-11-24T10:15:00.000Z',
        to: '2026-11-24T11:15:00.000Z',
        total: 12,
        negative: 7,
        neutral: 3,
        positive: 2,
        averageCompound: -0.38,
        emotions: { anger: 6, neutral: 3, joy: 2, sadness: 1 },
        series: [{ start: '2026-11-24T10:15:00.000Z', total: 12, negative: 7, neutral: 3, positive: 2, averageCompound: -0.38 }],
      },
    ],
  },
)
export type SentimentAggregate = Static<typeof SentimentAggregate>
