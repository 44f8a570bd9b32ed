import { ExternalId } from '@attune/contracts'
import { type Static, Type } from 'typebox'

const list = (what: string) =>
  Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: `Comma-separated ${what}; an item matches any of them` }))

const include = Type.Optional(
  Type.Literal('item', {
    description:
      'Add each item’s catalog fields (`item`: type, title, categories, author, language, publishedAt). Left out by default, as most sites render from their own catalog by id.',
  }),
)

export const UserParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })
export const ItemParams = Type.Object({ itemId: ExternalId }, { additionalProperties: false })

export const RecommendationsQuery = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
    scenario: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
      default: 'default',
      description: 'Where the slate is shown (homepage, article-bottom …): reported with clicks',
    }),
    categories: list('categories'),
    types: list('item types'),
    authors: list('authors'),
    languages: list('languages (ISO 639-1, e.g. en,fr)'),
    maxAgeHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 87600, description: 'Only items published this recently' })),
    exclude: Type.Optional(Type.String({ minLength: 1, maxLength: 20000, description: 'Comma-separated item ids never to return' })),
    excludeSeen: Type.Boolean({ default: true, description: 'Leave out items the user already interacted with' }),
    diversity: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: '0 ranks by relevance only; 1 spreads categories most' }),
    explore: Type.Number({ minimum: 0, maximum: 0.5, default: 0.1, description: 'Share of slots given to new items, to learn about them' }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'nextCursor of the previous page: no item repeats' })),
    include,
  },
  { additionalProperties: false },
)
export type RecommendationsQuery = Static<typeof RecommendationsQuery>

export const FeedQuery = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    maxAgeHours: Type.Integer({ minimum: 1, maximum: 8760, default: 168, description: 'How recent followed authors’ items and network engagement must be' }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'nextCursor of the previous page: no item repeats' })),
    include,
  },
  { additionalProperties: false },
)
export type FeedQuery = Static<typeof FeedQuery>

export const SimilarQuery = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
    userId: Type.Optional(ExternalId),
    include,
  },
  { additionalProperties: false },
)
export type SimilarQuery = Static<typeof SimilarQuery>

export const Explanation = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('because-you-engaged'),
      Type.Literal('similar-users'),
      Type.Literal('similar-content'),
      Type.Literal('popular'),
      Type.Literal('trending'),
      Type.Literal('exploration'),
      Type.Literal('your-topics'),
      Type.Literal('followed-author'),
      Type.Literal('followed-users-engaged'),
      Type.Literal('not-personalized'),
      Type.Literal('similar-to-item'),
      Type.Literal('popular-in-segment'),
    ]),
    text: Type.String({ description: 'A sentence to show as "why am I seeing this"' }),
    itemIds: Type.Optional(Type.Array(Type.String(), { description: 'The items behind it (e.g. what the user read)' })),
    category: Type.Optional(Type.String()),
    author: Type.Optional(Type.String()),
    userCount: Type.Optional(Type.Integer()),
  },
  { $id: 'Explanation', additionalProperties: false },
)

const SlateItem = Type.Object(
  {
    itemId: Type.String(),
    rank: Type.Integer({ minimum: 1 }),
    score: Type.Number(),
    reasons: Type.Array(Explanation),
    item: Type.Optional(
      Type.Object(
        {
          type: Type.String(),
          title: Type.Union([Type.String(), Type.Null()]),
          categories: Type.Array(Type.String()),
          author: Type.Union([Type.String(), Type.Null()]),
          language: Type.Union([Type.String(), Type.Null()]),
          publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        },
        { additionalProperties: false, description: 'With `include=item` only' },
      ),
    ),
  },
  { additionalProperties: false },
)

const slateExample = {
  recommendationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
  userId: 'user-42',
  scenario: 'homepage',
  personalized: true,
  modelTrainedAt: '2026-11-25T10:00:00.000Z',
  items: [
    {
      itemId: 'article-981',
      rank: 1,
      score: 0.8731,
      reasons: [{ kind: 'because-you-engaged', text: 'Because you read “Rates rise again”', itemIds: ['article-12'] }],
      item: {
        type: 'article',
        title: 'What the rate rise means for mortgages',
        categories: ['business'],
        author: 'jane-doe',
        language: 'en',
        publishedAt: '2026-11-25T08:00:00.000Z',
      },
    },
  ],
  nextCursor: 'czowMTkzYTZmMC00YjFjLTdjM2UtOWE1MS0yZjZkOGUxYjdjNDI',
}

export const Slate = Type.Object(
  {
    recommendationId: Type.String({
      format: 'uuid',
      description: 'Send it back as `recommendationId` on interactions with these items, so clicks are attributed',
    }),
    userId: Type.String({ description: 'Empty for an anonymous similar-items request' }),
    scenario: Type.String(),
    personalized: Type.Boolean({ description: 'False when the user chose non-personalized results' }),
    modelTrainedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    items: Type.Array(SlateItem),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null at the end' }),
  },
  { $id: 'Slate', additionalProperties: false, examples: [slateExample] },
)

export const ModelStatus = Type.Object(
  {
    state: Type.Union([Type.Literal('untrained'), Type.Literal('training'), Type.Literal('ready')]),
    trainedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    users: Type.Integer(),
    items: Type.Integer(),
    interactions: Type.Integer(),
    fitMs: Type.Integer({ description: 'Fitting time in the training worker' }),
    totalMs: Type.Integer({ description: 'Whole run: reading the data, fitting, loading' }),
    lastError: Type.Union([Type.String(), Type.Null()]),
  },
  {
    $id: 'ModelStatus',
    additionalProperties: false,
    examples: [
      { state: 'ready', trainedAt: '2026-11-25T10:00:00.000Z', users: 300, items: 400, interactions: 5200, fitMs: 1800, totalMs: 2100, lastError: null },
    ],
  },
)
