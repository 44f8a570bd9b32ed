import { CursorPage } from '@attune/contracts'
import { type Static, Type } from 'typebox'

export const TrendingQuery = Type.Object(
  {
    window: Type.Union([Type.Literal('1h'), Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')], {
      default: '24h',
      description: 'How far back to look; recent interactions weigh more (half-life a quarter of the window or less)',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'From the previous page' })),
  },
  { additionalProperties: false },
)
export type TrendingQuery = Static<typeof TrendingQuery>

export const TrendingItem = Type.Object(
  {
    itemId: Type.String(),
    score: Type.Number({ description: 'Time-decayed weighted interactions' }),
    events: Type.Integer({ description: 'Interactions counted in the window' }),
    reasons: Type.Array(Type.String(), { description: 'Why the item is here' }),
  },
  { additionalProperties: false },
)

export const TrendingPage = CursorPage(TrendingItem, 'TrendingPage', [
  { items: [{ itemId: 'article-7', score: 41.5, events: 37, reasons: ['trending: 37 interactions in 24h'] }], nextCursor: 'bzoyMA' },
])
