import { type Static, Type } from 'typebox'

export const CalendarQuery = Type.Object(
  {
    view: Type.Enum(['day', 'week'], { default: 'week', description: 'One day, or the ISO week (Monday to Sunday) containing `date`' }),
    date: Type.String({
      format: 'date',
      description: 'A day of the period (YYYY-MM-DD): 1970 or later, the period ending by 9999-12-31',
      examples: ['2026-11-25'],
    }),
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'UTC',
      description: 'The team’s IANA time zone: days are cut in it',
      examples: ['Europe/Paris'],
    }),
  },
  { additionalProperties: false },
)
export type CalendarQuery = Static<typeof CalendarQuery>

const Entry = Type.Object(
  {
    campaignId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    channel: Type.String(),
    strategy: Type.String(),
    status: Type.String({ description: 'The campaign’s status' }),
    firstAt: Type.String({ format: 'date-time', description: 'First delivery of the campaign that day' }),
    lastAt: Type.String({ format: 'date-time' }),
    scheduled: Type.Integer({ minimum: 0 }),
    sent: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    skipped: Type.Integer({ minimum: 0 }),
    cancelled: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)

export const Calendar = Type.Object(
  {
    view: Type.Enum(['day', 'week']),
    timeZone: Type.String(),
    from: Type.String({ format: 'date', description: 'First day' }),
    to: Type.String({ format: 'date', description: 'Last day' }),
    days: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), campaigns: Type.Array(Entry) }, { additionalProperties: false }), {
      description: 'Every day of the period, each with the campaigns delivering that day',
    }),
  },
  {
    $id: 'Calendar',
    additionalProperties: false,
    examples: [
      {
        view: 'day',
        timeZone: 'Europe/Paris',
        from: '2026-11-25',
        to: '2026-11-25',
        days: [
          {
            date: '2026-11-25',
            campaigns: [
              {
                campaignId: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
                name: 'Morning briefing',
                channel: 'push',
                strategy: 'best_time',
                status: 'scheduled',
                firstAt: '2026-11-25T06:00:00.000Z',
                lastAt: '2026-11-25T21:00:00.000Z',
                scheduled: 1150,
                sent: 0,
                failed: 0,
                skipped: 50,
                cancelled: 0,
              },
            ],
          },
        ],
      },
    ],
  },
)
