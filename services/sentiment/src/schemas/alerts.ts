import { type Static, Type } from 'typebox'

export const AlertsQuery = Type.Object(
  {
    dimension: Type.Optional(Type.Union([Type.Literal('item'), Type.Literal('topic')], { description: 'Only alerts on items, or on topics' })),
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only alerts on this item id or topic', examples: ['billing'] })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Most alerts returned, newest first', examples: [20] }),
  },
  { additionalProperties: false },
)
export type AlertsQuery = Static<typeof AlertsQuery>

export const SpikeAlert = Type.Object(
  {
    alertId: Type.String({ format: 'uuid' }),
    dimension: Type.Union([Type.Literal('item'), Type.Literal('topic')]),
    key: Type.String(),
    windowStart: Type.String({ format: 'date-time' }),
    windowEnd: Type.String({ format: 'date-time' }),
    negative: Type.Integer({ minimum: 0 }),
    total: Type.Integer({ minimum: 0 }),
    negativeShare: Type.Number({ minimum: 0, maximum: 1 }),
    baselineShare: Type.Number({ minimum: 0, maximum: 1 }),
    detectedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)

export const SpikeAlertList = Type.Object(
  { alerts: Type.Array(SpikeAlert, { description: 'Newest first' }) },
  {
    $id: 'SpikeAlertList',
    additionalProperties: false,
    examples: [
      {
        alerts: [
          {
            alertId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
            dimension: 'topic',
            key: 'billing',
            windowStart: '2026-11-24T10:15:00.000Z',
            windowEnd: '2026-11-24T11:15:00.000Z',
            negative: 18,
            total: 22,
            negativeShare: 0.8182,
            baselineShare: 0.1412,
            detectedAt: '2026-11-24T11:02:13.000Z',
          },
        ],
      },
    ],
  },
)
