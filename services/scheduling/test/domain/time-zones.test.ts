// Time zone arithmetic on ICU data: local hours of week, DST gaps and overlaps, zone changes.
import t from 'tap'
import { shiftBins } from '../../src/domain/activity-increments.ts'
import { addDays, hourOfWeek, isTimeZone, localHoursOfWeek, localTime, offsetMinutes, utcMs, zonedTimeToInstant } from '../../src/domain/time-zones.ts'

t.test('local time and hour of week', async (t) => {
  // Wednesday 2026-11-25 18:30 UTC is 19:30 in Paris (CET, +1), 13:30 in New York (EST, -5).
  const at = new Date('2026-11-25T18:30:00Z')
  t.match(localTime(at, 'Europe/Paris'), { year: 2026, month: 11, day: 25, hour: 19, minute: 30, weekday: 2 })
  t.equal(hourOfWeek(localTime(at, 'Europe/Paris')), 2 * 24 + 19)
  t.equal(hourOfWeek(localTime(at, 'America/New_York')), 2 * 24 + 13)
  // Crossing midnight changes the day: 23:30 UTC Sunday is Monday 08:30 in Tokyo.
  t.equal(hourOfWeek(localTime(new Date('2026-11-29T23:30:00Z'), 'Asia/Tokyo')), 8)
  t.equal(offsetMinutes(at, 'Asia/Kolkata'), 330)
  t.ok(isTimeZone('Europe/Paris'))
  t.notOk(isTimeZone('Mars/Olympus_Mons'))
})

t.test('DST: the same local hour maps to different UTC hours in summer and winter', async (t) => {
  t.equal(zonedTimeToInstant({ year: 2026, month: 7, day: 1, hour: 19, minute: 0 }, 'Europe/Paris').toISOString(), '2026-07-01T17:00:00.000Z')
  t.equal(zonedTimeToInstant({ year: 2026, month: 12, day: 1, hour: 19, minute: 0 }, 'Europe/Paris').toISOString(), '2026-12-01T18:00:00.000Z')
  // Spring forward, 2026-03-29 in Paris: 02:30 does not exist; it is pushed forward to 03:30 CEST.
  t.equal(zonedTimeToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Paris').toISOString(), '2026-03-29T01:30:00.000Z')
  // Fall back, 2026-10-25: 02:30 happens twice; the first (CEST) is chosen.
  t.equal(zonedTimeToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris').toISOString(), '2026-10-25T00:30:00.000Z')
  // New York springs forward on 2026-03-08.
  t.equal(zonedTimeToInstant({ year: 2026, month: 3, day: 8, hour: 9, minute: 0 }, 'America/New_York').toISOString(), '2026-03-08T13:00:00.000Z')
  t.equal(zonedTimeToInstant({ year: 2026, month: 3, day: 7, hour: 9, minute: 0 }, 'America/New_York').toISOString(), '2026-03-07T14:00:00.000Z')
})

t.test('window hours across a DST change keep local hours in step', async (t) => {
  // From Saturday 2026-10-24 22:00 UTC (Sun 00:00 CEST) for 6 hours: 00,01,02,02,03,04 local on Sunday.
  const hows = Array.from(localHoursOfWeek(new Date('2026-10-24T22:00:00Z'), 6, 'Europe/Paris'))
  t.same(
    hows.map((h) => h - 6 * 24),
    [0, 1, 2, 2, 3, 4],
  )
  // Spring: 2026-03-29 00:00 UTC (01:00 CET) for 3 hours: 01, 03, 04 local (02 skipped).
  t.same(
    Array.from(localHoursOfWeek(new Date('2026-03-29T00:00:00Z'), 3, 'Europe/Paris')).map((h) => h - 6 * 24),
    [1, 3, 4],
  )
})

t.test('bins move with a time zone change', async (t) => {
  const bins = new Array(168).fill(0)
  bins[19] = 5
  bins[167] = 1
  const shifted = shiftBins(bins, 60)
  t.equal(shifted[20], 5)
  t.equal(shifted[0], 1, 'wraps around the week')
  t.equal(
    shifted.reduce((a, b) => a + b, 0),
    6,
  )
})

t.test('dates in the years 0001-0099 are those years, not 1901-1999', async (t) => {
  t.equal(new Date(utcMs(50, 3, 1, 12, 30)).toISOString(), '0050-03-01T12:30:00.000Z')
  t.equal(utcMs(2026, 12, 6, 17, 5), Date.UTC(2026, 11, 6, 17, 5), 'the same as Date.UTC otherwise')
  t.same(addDays({ year: 4, month: 2, day: 28 }, 1), { year: 4, month: 2, day: 29 }, 'year 4 is a leap year (1904 would be too, 1900 not)')
  t.same(addDays({ year: 99, month: 12, day: 31 }, 1), { year: 100, month: 1, day: 1 })
  // 0050-01-01 was a Saturday (proleptic Gregorian, as Intl counts), 1950-01-01 a Sunday.
  const l = localTime(new Date('0050-01-01T12:00:00Z'), 'UTC')
  t.match(l, { year: 50, month: 1, day: 1, weekday: 5 })
  t.equal(offsetMinutes(new Date('0050-01-01T12:00:00Z'), 'UTC'), 0)
  t.equal(zonedTimeToInstant({ year: 50, month: 6, day: 1, hour: 9, minute: 0 }, 'UTC').toISOString(), '0050-06-01T09:00:00.000Z')
})
