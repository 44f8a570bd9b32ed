import { AdPriceModels, AdTiers, IabCategory } from '@attune/contracts'
import { type Static, Type } from 'typebox'
import { DateTime, Money, Name, Status, Uuid } from './common.ts'

const Words = (description: string, examples: string[]) =>
  Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200, uniqueItems: true, description, examples: [examples] }))

export const TargetingSchema = Type.Object(
  {
    keywords: Words('Page keywords, words of the page text or URL (any of them)', ['hiking', 'trail']),
    urlContains: Words('Parts of the page URL (any of them)', ['/travel/']),
    categories: Type.Optional(
      Type.Array(IabCategory, {
        maxItems: 50,
        uniqueItems: true,
        description: 'IAB categories given by the site or inferred from the page text; IAB17 includes IAB17-44',
      }),
    ),
    segments: Type.Optional(
      Type.Array(Uuid, { maxItems: 50, uniqueItems: true, description: 'Profiling segments (audience); only with ad-personalization consent' }),
    ),
    interests: Words('Topics the user follows (audience); only with ad-personalization consent', ['outdoors']),
    languages: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }), {
        maxItems: 50,
        uniqueItems: true,
        description: 'Page languages (en matches en-GB)',
        examples: [['en']],
      }),
    ),
    countries: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), {
        maxItems: 250,
        uniqueItems: true,
        description: 'Visitor countries (ISO 3166-1 alpha-2)',
        examples: [['GB', 'IE']],
      }),
    ),
  },
  { additionalProperties: false, description: 'Every dimension set must match (any of its values); an empty object runs on every page' },
)

export const FrequencyCapSchema = Type.Object(
  {
    max: Type.Integer({ minimum: 1, maximum: 10000, description: 'At most this many impressions per user …' }),
    windowSeconds: Type.Integer({ minimum: 60, maximum: 90 * 86400, description: '… within this many seconds' }),
  },
  { additionalProperties: false, description: 'Per user (kept only for users who consented to ad personalization)' },
)

export const CampaignInput = Type.Object(
  {
    advertiserId: Uuid,
    name: Name,
    status: Type.Optional(Status),
    startAt: Type.Optional(Type.String({ format: 'date-time', description: 'Defaults to now' })),
    endAt: Type.Optional(
      Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'After startAt; null runs until the budget is spent' }),
    ),
    totalBudget: Money('Most the campaign ever spends'),
    dailyBudget: Type.Optional(Type.Union([Money('Most it spends per UTC day; at most totalBudget'), Type.Null()])),
    pacing: Type.Optional(
      Type.Union([Type.Literal('even'), Type.Literal('asap')], {
        default: 'even',
        description: 'even: spread each day’s budget over the day; asap: as fast as traffic allows',
      }),
    ),
    tier: Type.Optional(Type.Enum(AdTiers, { default: 'standard', description: 'sponsorship > standard > house' })),
    priceModel: Type.Enum(AdPriceModels, { description: 'cpm: price per 1000 impressions; cpc: price per click' }),
    price: Money('In the currency of the budgets'),
    targeting: Type.Optional(TargetingSchema),
    frequencyCap: Type.Optional(Type.Union([FrequencyCapSchema, Type.Null()])),
    placementIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 200, uniqueItems: true, description: 'Only these placements; empty = every placement of the ads’ formats' }),
    ),
  },
  {
    $id: 'CampaignInput',
    additionalProperties: false,
    examples: [
      {
        advertiserId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        name: 'Winter boots',
        startAt: '2026-12-01T00:00:00Z',
        endAt: '2026-12-31T00:00:00Z',
        totalBudget: 3000,
        dailyBudget: 100,
        pacing: 'even',
        tier: 'standard',
        priceModel: 'cpc',
        price: 0.4,
        targeting: { categories: ['IAB20'], keywords: ['hiking'], languages: ['en'] },
        frequencyCap: { max: 3, windowSeconds: 86400 },
      },
    ],
  },
)
export type CampaignInput = Static<typeof CampaignInput>

export const Campaign = Type.Object(
  {
    campaignId: Uuid,
    advertiserId: Uuid,
    name: Type.String(),
    status: Status,
    startAt: DateTime,
    endAt: Type.Union([DateTime, Type.Null()]),
    totalBudget: Type.Number(),
    dailyBudget: Type.Union([Type.Number(), Type.Null()]),
    pacing: Type.Union([Type.Literal('even'), Type.Literal('asap')]),
    tier: Type.Enum(AdTiers),
    priceModel: Type.Enum(AdPriceModels),
    price: Type.Number(),
    targeting: TargetingSchema,
    frequencyCap: Type.Union([FrequencyCapSchema, Type.Null()]),
    placementIds: Type.Array(Uuid),
    spent: Type.Number({ description: 'Charged so far' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  {
    $id: 'Campaign',
    additionalProperties: false,
    examples: [
      {
        campaignId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44',
        advertiserId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        name: 'Winter boots',
        status: 'active',
        startAt: '2026-12-01T00:00:00.000Z',
        endAt: '2026-12-31T00:00:00.000Z',
        totalBudget: 3000,
        dailyBudget: 100,
        pacing: 'even',
        tier: 'standard',
        priceModel: 'cpc',
        price: 0.4,
        targeting: { categories: ['IAB20'] },
        frequencyCap: { max: 3, windowSeconds: 86400 },
        placementIds: [],
        spent: 12.4,
        createdAt: '2026-11-25T09:00:00.000Z',
        updatedAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)
export type Campaign = Static<typeof Campaign>

export const CampaignList = Type.Object(
  { campaigns: Type.Array(Campaign) },
  { additionalProperties: false, examples: [{ campaigns: (Campaign as { examples?: unknown[] }).examples }] },
)
export const CampaignQuery = Type.Object({ advertiserId: Type.Optional(Uuid) }, { additionalProperties: false })
