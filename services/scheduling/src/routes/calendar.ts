import { errors, LAST_STORABLE_MS, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { SchedulingConfig } from '../config.ts'
import type { SchedulingDb } from '../db.ts'
import { addDays, isoDate, isTimeZone, localTime, utcMs, zonedTimeToInstant } from '../domain/time-zones.ts'
import { Calendar, CalendarQuery } from '../schemas/calendar.ts'
import { calendarRows } from '../store/campaigns-store.ts'

export function calendarRoutes(app: ServiceApp, ctx: ServiceContext<SchedulingDb, SchedulingConfig>) {
  app.get(
    '/v1/calendar',
    {
      schema: {
        operationId: 'getCalendar',
        tags: ['calendar'],
        summary: 'The content calendar: campaigns delivering on each day of a day or week',
        description: 'Days are cut in the team’s time zone; each campaign shows its deliveries that day by status, and the first and last send time.',
        querystring: CalendarQuery,
        response: { 200: ref(Calendar), ...problemResponses },
      },
    },
    async (request) => {
      const { view, date, timeZone } = request.query
      if (!isTimeZone(timeZone)) throw errors.invalid('/timeZone', `${JSON.stringify(timeZone)} is not a known IANA time zone`, 'querystring')
      const [y, m, d] = date.split('-').map(Number)
      const day = { year: y ?? 1970, month: m ?? 1, day: d ?? 1 }
      const weekday = localTime(new Date(utcMs(day.year, day.month, day.day, 12)), 'UTC').weekday
      const first = view === 'week' ? addDays(day, -weekday) : day
      const length = view === 'week' ? 7 : 1
      const from = zonedTimeToInstant({ ...first, hour: 0, minute: 0 }, timeZone)
      const to = zonedTimeToInstant({ ...addDays(first, length), hour: 0, minute: 0 }, timeZone)
      // No period may end past 9999 (the week of 9999-12-31 ends in 10000): such dates were a 500.
      // Nor start before 1970, which is before anything was scheduled (and near year 0 a period's
      // first instant can fall in a year Postgres refuses).
      if (!(day.year >= 1970 && addDays(first, length - 1).year <= 9999))
        throw errors.invalid('/date', 'must be in 1970 or later, and its period must end by 9999-12-31', 'querystring')
      // The instant after 9999-12-31 is in the year 10000, which a Date cannot be sent as.
      const rows = await calendarRows(ctx.db, ctx.schema, from, to.getTime() > LAST_STORABLE_MS ? new Date(LAST_STORABLE_MS) : to, timeZone)
      const days = Array.from({ length }, (_, i) => isoDate(addDays(first, i)))
      return {
        view,
        timeZone,
        from: days[0] ?? date,
        to: days.at(-1) ?? date,
        days: days.map((date) => ({
          date,
          campaigns: rows
            .filter((r) => r.date === date)
            .map(({ date: _, firstAt, lastAt, ...r }) => ({ ...r, firstAt: new Date(firstAt).toISOString(), lastAt: new Date(lastAt).toISOString() })),
        })),
      }
    },
  )
}
