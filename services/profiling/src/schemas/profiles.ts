import { ExternalId } from '@attune/contracts'
import { Type } from 'typebox'

export const UserParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })

const Weighted = Type.Array(Type.Object({ value: Type.String(), weight: Type.Number() }, { additionalProperties: false }))
const Counts = Type.Record(Type.String(), Type.Integer())
const Scalar = Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean()])

export const Profile = Type.Object(
  {
    userId: Type.String(),
    mergedAnonymousIds: Type.Array(Type.String(), { description: 'Anonymous ids whose history was merged into this user' }),
    attributes: Type.Record(Type.String(), Type.Unknown(), { description: 'Set through PATCH' }),
    traits: Type.Object(
      {
        firstSeen: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        lastSeen: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        counts: Type.Object({ '7d': Counts, '30d': Counts, '90d': Counts }, { description: 'Events per type in the last 7, 30 and 90 days' }),
        engagementRate30d: Type.Union([Type.Number(), Type.Null()], {
          description: 'Engagements (click, like, share, comment, dwell, purchase) per view, 30 days',
        }),
        topCategories: Weighted,
        topTopics: Weighted,
        topAuthors: Weighted,
        activeHours: Type.Array(Type.Object({ hourOfWeek: Type.Integer(), label: Type.String(), share: Type.Number() }, { additionalProperties: false })),
        sentiment: Type.Union([
          Type.Object({ average: Type.Number(), dominantEmotion: Type.String(), samples: Type.Integer() }, { additionalProperties: false }),
          Type.Null(),
        ]),
        preferredLanguage: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    custom: Type.Record(Type.String(), Type.Union([Scalar, Type.Null(), Type.Array(Scalar)]), { description: 'Custom computed traits by name' }),
  },
  {
    $id: 'Profile',
    additionalProperties: false,
    examples: [
      {
        userId: 'user-42',
        mergedAnonymousIds: ['anon-7f3'],
        attributes: { plan: 'premium' },
        traits: {
          firstSeen: '2026-10-01T08:00:00.000Z',
          lastSeen: '2026-11-25T09:12:00.000Z',
          counts: { '7d': { view: 31, click: 9 }, '30d': { view: 120, click: 30, like: 4 }, '90d': { view: 300, click: 70, like: 9 } },
          engagementRate30d: 0.283,
          topCategories: [{ value: 'sport', weight: 41.2 }],
          topTopics: [],
          topAuthors: [{ value: 'author-3', weight: 12.5 }],
          activeHours: [{ hourOfWeek: 19, label: 'Mon 19:00 UTC', share: 0.12 }],
          sentiment: { average: 0.31, dominantEmotion: 'joy', samples: 6 },
          preferredLanguage: 'en',
        },
        custom: { 'articles-read-30d': 120 },
      },
    ],
  },
)

export const AttributesPatch = Type.Object(
  {
    attributes: Type.Record(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), Type.Union([Scalar, Type.Null()]), {
      maxProperties: 100,
      additionalProperties: false,
      description: 'Attributes to set (names: letters, digits, _ . -); null removes one',
    }),
  },
  { additionalProperties: false, examples: [{ attributes: { plan: 'premium', newsletter: true, legacyFlag: null } }] },
)

export const AttributesResult = Type.Object(
  { userId: Type.String(), attributes: Type.Record(Type.String(), Type.Unknown()) },
  { additionalProperties: false, examples: [{ userId: 'user-42', attributes: { plan: 'premium', newsletter: true } }] },
)
