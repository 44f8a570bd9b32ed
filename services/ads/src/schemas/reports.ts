import { type Static, Type } from 'typebox'
import { Uuid } from './common.ts'

export const ReportQuery = Type.Object(
  {
    groupBy: Type.Union([Type.Literal('campaign'), Type.Literal('ad'), Type.Literal('placement'), Type.Literal('day')], {
      default: 'campaign',
      description: 'One row per campaign, ad, placement or UTC day',
    }),
    from: Type.Optional(Type.String({ format: 'date', description: 'First UTC day (inclusive)', examples: ['2026-11-01'] })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last UTC day (inclusive)', examples: ['2026-11-30'] })),
    campaignId: Type.Optional(Uuid),
    advertiserId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
)
export type ReportQuery = Static<typeof ReportQuery>

export const ReportRow = Type.Object(
  {
    key: Type.String({ description: 'The campaign, ad or placement id, or the day' }),
    impressions: Type.Integer({ minimum: 0 }),
    clicks: Type.Integer({ minimum: 0 }),
    ctr: Type.Number({ description: 'clicks / impressions (0 without impressions)' }),
    spend: Type.Number(),
    ecpm: Type.Number({ description: 'spend per 1000 impressions' }),
  },
  { additionalProperties: false },
)

export const Report = Type.Object(
  { groupBy: Type.String(), rows: Type.Array(ReportRow) },
  {
    $id: 'AdReport',
    additionalProperties: false,
    examples: [
      { groupBy: 'campaign', rows: [{ key: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44', impressions: 1000, clicks: 12, ctr: 0.012, spend: 4.8, ecpm: 4.8 }] },
    ],
  },
)
export type Report = Static<typeof Report>
