// The activity model on hand-made histories: habits in local time, decay lets a new habit win, smoothing toward the audience.
import t from 'tap'
import { activityIncrements } from '../../src/domain/activity-increments.ts'
import { rankBestTimes } from '../../src/domain/best-times.ts'
import type { Engagement } from '../../src/domain/engagement.ts'
import { explainBestTime } from '../../src/domain/reasons.ts'
import { audienceProfile, defaultModelOptions, userActivity } from '../../src/domain/user-activity.ts'

const DAY = 86_400_000
const o = defaultModelOptions

/** Engagements on weekdays at `utcHour` for `days` days ending at `end`. */
function habit(userId: string, utcHour: number, end: Date, days: number, channel?: 'push'): Engagement[] {
  const out: Engagement[] = []
  for (let d = days; d >= 1; d--) {
    const at = new Date(end.getTime() - d * DAY)
    at.setUTCHours(utcHour, 10)
    if (at.getUTCDay() === 0 || at.getUTCDay() === 6) continue
    out.push({ userId, at, channel, weight: 1 })
  }
  return out
}

function model(engagements: Engagement[], now: Date, tz = 'UTC') {
  const inc = activityIncrements(engagements, { halfLifeDays: o.halfLifeDays, timeZoneOf: () => tz, segmentsOf: () => [] })
  const row = (channel: string) => {
    const i = inc.users.find((u) => u.channel === channel)
    return i ? { bins: i.bins, events: i.events, firstAt: i.firstAt, lastAt: i.lastAt } : undefined
  }
  const pop = inc.audiences.find((a) => a.key === 'population' && a.channel === 'all')
  const audience = audienceProfile(pop ? { bins: pop.bins, events: pop.events, firstAt: now, lastAt: now } : undefined, [], now, o)
  return { activity: userActivity({ all: row('all'), channel: row('push') }, audience, now, o), audience }
}

t.test('a weekday evening habit is the best time, explained', async (t) => {
  const now = new Date('2026-11-25T00:00:00Z')
  const { activity, audience } = model(habit('u', 19, now, 90), now)
  t.equal(activity.source, 'user')
  const [best] = rankBestTimes(activity.dist, 'UTC', now, 3)
  t.equal((best?.hourOfWeek ?? 0) % 24, 19)
  t.ok(activity.confidence > 0.6, `confidence ${activity.confidence}`)
  t.match(explainBestTime(activity, audience, best?.hourOfWeek ?? 0, 'all', true), /^most engagement on weekdays 19:00–20:00, \d+ events in \d+ days$/)
})

t.test('the model shifts after a change of habit', async (t) => {
  const change = new Date('2026-10-01T00:00:00Z')
  const old = habit('u', 8, change, 120)
  // Four weeks of the new habit: mornings are still more events in total, evenings win by recency.
  const now = new Date(change.getTime() + 28 * DAY)
  const fresh = habit('u', 21, now, 28)
  t.ok(old.length > fresh.length * 3, `old ${old.length} vs new ${fresh.length}`)
  const before = model(old, change)
  t.equal((rankBestTimes(before.activity.dist, 'UTC', change, 1)[0]?.hourOfWeek ?? 0) % 24, 8)
  const after = model([...old, ...fresh], now)
  t.equal((rankBestTimes(after.activity.dist, 'UTC', now, 1)[0]?.hourOfWeek ?? 0) % 24, 21, 'evening now')
  // Without decay (a half-life of years) the old habit would still win: decay is what moves it.
  const inc = activityIncrements([...old, ...fresh], { halfLifeDays: 3650, timeZoneOf: () => 'UTC', segmentsOf: () => [] })
  const all = inc.users.find((u) => u.channel === 'all')
  const noDecay = userActivity(
    { all: all ? { bins: all.bins, events: all.events, firstAt: change, lastAt: now } : undefined },
    audienceProfile(undefined, [], now, { ...o, halfLifeDays: 3650 }),
    now,
    { ...o, halfLifeDays: 3650 },
  )
  t.equal((rankBestTimes(noDecay.dist, 'UTC', now, 1)[0]?.hourOfWeek ?? 0) % 24, 8)
})

t.test('bins are kept in the user’s local time: a Paris habit stays at 19:00 across DST', async (t) => {
  const engagements: Engagement[] = []
  // 19:00 Paris every day through October and November: 17:00Z before 2026-10-25, 18:00Z after.
  for (let d = new Date('2026-10-01T00:00:00Z'); d < new Date('2026-11-25T00:00:00Z'); d = new Date(d.getTime() + DAY)) {
    const summer = d < new Date('2026-10-25T01:00:00Z')
    engagements.push({ userId: 'p', at: new Date(d.getTime() + (summer ? 17 : 18) * 3_600_000 + 5 * 60_000), channel: undefined, weight: 1 })
  }
  const now = new Date('2026-11-25T00:00:00Z')
  const { activity } = model(engagements, now, 'Europe/Paris')
  const top = rankBestTimes(activity.dist, 'Europe/Paris', now, 7)
  t.ok(
    top.every((s) => s.hourOfWeek % 24 === 19),
    `all top-7 at 19 local: ${top.map((s) => s.hourOfWeek % 24)}`,
  )
  // The next 19:00 Paris in winter is 18:00Z.
  t.equal(top[0]?.nextAt.getUTCHours(), 18)
  // Binned in UTC instead, the hour would be split between 17 and 18.
  const utc = model(engagements, now, 'UTC')
  const utcTop = rankBestTimes(utc.activity.dist, 'UTC', now, 14).map((s) => s.hourOfWeek % 24)
  t.ok(utcTop.includes(17) && utcTop.includes(18))
})

t.test('new users get the audience pattern, and a little history is smoothed toward it', async (t) => {
  const now = new Date('2026-11-25T00:00:00Z')
  const crowd: Engagement[] = []
  for (let u = 0; u < 50; u++) crowd.push(...habit(`c${u}`, 12, now, 30))
  const inc = activityIncrements(crowd, { halfLifeDays: o.halfLifeDays, timeZoneOf: () => 'UTC', segmentsOf: () => [] })
  const pop = inc.audiences.find((a) => a.key === 'population' && a.channel === 'all')
  const audience = audienceProfile(pop ? { bins: pop.bins, events: pop.events, firstAt: now, lastAt: now } : undefined, [], now, o)
  t.equal(audience.source, 'population')
  const newcomer = userActivity({}, audience, now, o)
  t.equal(newcomer.source, 'audience')
  t.equal(newcomer.confidence, 0)
  t.equal((rankBestTimes(newcomer.dist, 'UTC', now, 1)[0]?.hourOfWeek ?? 0) % 24, 12)
  t.match(
    explainBestTime(newcomer, audience, 12, 'push', true),
    /^too little history \(0 events\): audience pattern of all users, busiest on [A-Za-z ,]+ 12:00–13:00$/,
  )
  const optedOut = userActivity({}, audience, now, o, false)
  t.match(explainBestTime(optedOut, audience, 12, 'push', false), /^non-personalized/)
})
