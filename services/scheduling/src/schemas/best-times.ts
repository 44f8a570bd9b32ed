import { DeliveryChannels, ExternalId } from '@attune/contracts'
import { type Static, Type } from 'typebox'

export const UserParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })

export const BestTimesQuery = Type.Object(
  {
    channel: Type.Optional(Type.Enum(DeliveryChannels, { description: 'The channel to time; omitted: engagement on any channel' })),
    count: Type.Integer({ minimum: 1, maximum: 24, default: 3, description: 'How many times to return, best first', examples: [3] }),
  },
  { additionalProperties: false },
)
export type BestTimesQuery = Static<typeof BestTimesQuery>

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

const BestTime = Type.Object(
  {
    rank: Type.Integer({ minimum: 1 }),
    dayOfWeek: Type.Enum(DAYS),
    localTime: Type.String({ pattern: '^[0-2][0-9]:00$', description: 'Start of the hour, in the user’s time zone', examples: ['19:00'] }),
    hourOfWeek: Type.Integer({ minimum: 0, maximum: 167, description: 'Monday 00:00 = 0' }),
    nextAt: Type.String({ format: 'date-time', description: 'The next time this hour starts (UTC)' }),
    share: Type.Number({ minimum: 0, maximum: 1, description: 'Share of the user’s expected engagement in this hour of the week' }),
  },
  { additionalProperties: false },
)

export const BestTimes = Type.Object(
  {
    userId: ExternalId,
    channel: Type.String({ description: 'The channel, or `all`' }),
    timeZone: Type.String({ description: 'The user’s time zone (their quiet-hours zone, else the default)' }),
    source: Type.Enum(['user', 'audience'], { description: '`user`: their own history; `audience`: too little history, or personalization is off' }),
    confidence: Type.Number({ minimum: 0, maximum: 1, description: 'How much of the estimate is the user’s own history (0 = audience only)' }),
    events: Type.Integer({ minimum: 0, description: 'Engagements recorded for the user' }),
    reason: Type.String({ description: 'Why these times, in words' }),
    times: Type.Array(BestTime, { description: 'Best first; hours inside quiet hours are left out' }),
  },
  {
    $id: 'BestTimes',
    additionalProperties: false,
    examples: [
      {
        userId: 'user-42',
        channel: 'push',
        timeZone: 'Europe/Paris',
        source: 'user',
        confidence: 0.84,
        events: 42,
        reason: 'most push engagement on weekdays 19:00–20:00, 42 events in 90 days',
        times: [{ rank: 1, dayOfWeek: 'Tuesday', localTime: '19:00', hourOfWeek: 43, nextAt: '2026-12-01T18:00:00.000Z', share: 0.041 }],
      },
    ],
  },
)
export type BestTimes = Static<typeof BestTimes>
export { DAYS }
