// Best times, campaigns, guards, calendar, cancel/reschedule, erasure and bad input, on real
// Postgres with the profile and interaction streams fed through the bus and a fixed clock.
import { randomUUID } from 'node:crypto'
import type { AnyEvent } from '@attune/contracts'
import { MemoryBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, startTestService } from '@attune/kit/testing'
import t from 'tap'
import { schedulingService } from '../../src/app.ts'
import { isQuiet } from '../../src/domain/quiet-hours.ts'
import { exportUser } from '../../src/store/export-user.ts'
import { consentEvent, interactionEvent, preferencesEvent, segmentEvent } from '../helpers.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const bus = new MemoryBus({ retryDelayMs: 10 })
const now = new Date('2026-11-25T12:00:00Z') // a Wednesday
let seed = 1
const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const service = await startTestService(schedulingService({ random }), {
  database,
  bus,
  clock: () => now,
  env: { DELIVERY_WEBHOOK_URL: 'http://127.0.0.1:9/hook', DISPATCH_ENABLED: 'false' },
})
const { app } = service
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

async function feed(topic: string, events: AnyEvent[]) {
  for (let i = 0; i < events.length; i += 500)
    await bus.publish(events.slice(i, i + 500).map((e) => ({ topic: `attune.${topic}`, key: e.subject, value: JSON.stringify(e) })))
  await bus.idle()
}
const get = (url: string) => app.inject({ url, headers: asAdmin })
const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: asAdmin, payload })
const DAY = 86_400_000

/** Weekday engagements at a UTC hour over `days` days before now. */
function habit(userId: string, utcHour: number, days: number, channel = 'push'): AnyEvent[] {
  const out: AnyEvent[] = []
  for (let d = days; d >= 1; d--) {
    const at = new Date(now.getTime() - d * DAY)
    at.setUTCHours(utcHour, 15)
    if (at.getUTCDay() % 6 !== 0) out.push(interactionEvent(userId, at, 'notification_open', channel))
  }
  return out
}

const segment = randomUUID()
const paris = { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' }
const ny = { start: '21:30', end: '07:00', timeZone: 'America/New_York' }
const past = new Date('2026-11-01T00:00:00Z')

t.before(async () => {
  await feed('profiles', [
    preferencesEvent('u1', past, { quietHours: paris }),
    preferencesEvent('u2', past, { quietHours: ny }),
    preferencesEvent('u3', past),
    preferencesEvent('u4', past, { channels: { email: true, push: false, sms: false, in_app: true, webhook: false } }),
    preferencesEvent('u5', past),
    preferencesEvent('u6', past, { nonPersonalized: true }),
    preferencesEvent('u7', past, { frequencyCaps: { push: { max: 2, per: 'day' } } }),
    consentEvent('u5', past, { push: 'revoked' }),
    ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((u) => segmentEvent(u, segment, past)),
  ])
  // u1: 19:00 Paris (18:00Z in winter); u2: 22:00 New York (03:00Z); u6 the same as u1, but non-personalized.
  // A crowd at 12:00Z makes the population pattern.
  const crowd = Array.from({ length: 20 }, (_, i) => habit(`crowd-${i}`, 12, 20, 'email')).flat()
  await feed('interactions', [...habit('u1', 18, 60), ...habit('u2', 3, 60), ...habit('u6', 18, 60), ...crowd])
})

t.test('best times: the user’s own habit in their zone, explained; audience pattern for newcomers', async (t) => {
  const r = await get('/v1/users/u1/best-times?channel=push&count=3')
  t.equal(r.statusCode, 200)
  const body = r.json()
  t.match(body, {
    userId: 'u1',
    channel: 'push',
    timeZone: 'Europe/Paris',
    source: 'user',
    reason: /^most push engagement on weekdays 19:00–20:00, \d+ events in \d+ days$/,
  })
  t.equal(body.times.length, 3)
  t.match(body.times[0], { rank: 1, localTime: '19:00', nextAt: /T18:00:00.000Z$/, dayOfWeek: /^(Mon|Tues|Wednes|Thurs|Fri)day$/ })
  t.ok(
    body.times.every((x: { localTime: string }) => x.localTime === '19:00'),
    '19:00 on the top weekdays',
  )
  t.ok(body.confidence > 0.5)
  // u2's habit (22:00) is in their quiet hours: it is never offered.
  const u2 = (await get('/v1/users/u2/best-times?count=24')).json()
  t.notOk(
    u2.times.some((x: { localTime: string }) => x.localTime === '22:00' || x.localTime === '23:00'),
    'no quiet hour offered',
  )
  const fresh = (await get('/v1/users/nobody-yet/best-times')).json()
  t.match(fresh, { source: 'audience', confidence: 0, events: 0, reason: /^too little history \(0 events\): audience pattern of all users/ })
  t.equal(fresh.times[0].localTime, '12:00', 'the crowd’s hour')
  t.match((await get('/v1/users/u6/best-times')).json(), { source: 'audience', reason: /^non-personalized/ })
})

let campaignId = ''
t.test('a best-time campaign to a segment: each user at their time, guards applied and noted', async (t) => {
  const r = await post('/v1/campaigns', {
    name: 'Evening digest',
    channel: 'push',
    content: { title: 'Digest', text: 'Five stories for tonight' },
    audience: { segmentId: segment },
    strategy: 'best_time',
    window: { end: new Date(now.getTime() + DAY).toISOString() },
  })
  t.equal(r.statusCode, 201, r.body)
  const c = r.json()
  campaignId = c.campaignId
  t.match(c, { status: 'scheduled', strategy: 'best_time', deliveries: { total: 6, scheduled: 4, skipped: 2 }, window: { start: now.toISOString() } })
  const deliveries = (await get(`/v1/campaigns/${campaignId}/deliveries`)).json().deliveries as {
    userId: string
    status: string
    sendAt: string
    reason: string
    notes: { guard: string; action: string; detail: string }[]
  }[]
  const by = Object.fromEntries(deliveries.map((d) => [d.userId, d]))
  t.match(by.u1, { status: 'scheduled', sendAt: '2026-11-25T18:00:00.000Z', reason: /^most push engagement on weekdays 19:00–20:00/, notes: [] })
  // u2's best hour 22:00 New York (03:00Z) is quiet from 21:30: moved to 21:29 local = 02:29Z.
  t.match(by.u2, { status: 'scheduled', sendAt: '2026-11-26T02:29:00.000Z', notes: [{ guard: 'quiet_hours', action: 'moved' }] })
  t.match(by.u4, { status: 'skipped', notes: [{ guard: 'opt_in', action: 'skipped' }] })
  t.match(by.u5, { status: 'skipped', notes: [{ guard: 'consent', action: 'skipped', detail: 'push consent is revoked' }] })
  t.match(by.u6, { status: 'scheduled', reason: /audience's best slot/, notes: [{ guard: 'non_personalized', action: 'fallback' }] })
  t.match(by.u3, { status: 'scheduled', reason: /^too little history/ })
  const zones: Record<string, { start: number; end: number; tz: string }> = {
    u1: { start: 22 * 60, end: 7 * 60, tz: 'Europe/Paris' },
    u2: { start: 21 * 60 + 30, end: 7 * 60, tz: 'America/New_York' },
  }
  for (const d of deliveries.filter((d) => d.status === 'scheduled')) {
    const at = new Date(d.sendAt)
    t.ok(at >= now && at <= new Date(now.getTime() + DAY), `${d.userId} inside the window`)
    const z = zones[d.userId]
    if (z) t.notOk(isQuiet(at, z.tz, z), `${d.userId} not in quiet hours`)
  }
})

t.test('frequency caps are never exceeded; a full day is skipped or moved, saying why', async (t) => {
  const fixed = (hour: number) =>
    post('/v1/campaigns', {
      name: `Alert ${hour}`,
      channel: 'push',
      content: { itemId: 'breaking-1' },
      audience: { userIds: ['u7'] },
      strategy: 'fixed',
      sendAt: `2026-11-25T${hour}:00:00Z`,
    })
  const statuses = []
  for (const h of [15, 16, 17]) {
    const r = await fixed(h)
    t.equal(r.statusCode, 201)
    statuses.push(r.json().deliveries)
  }
  t.match(statuses, [{ scheduled: 1 }, { scheduled: 1 }, { scheduled: 0, skipped: 1 }])
  const window = await post('/v1/campaigns', {
    name: 'Tomorrow allowed',
    channel: 'push',
    content: { text: 'hi' },
    audience: { userIds: ['u7'] },
    strategy: 'best_time',
    window: { start: '2026-11-25T13:00:00Z', end: '2026-11-26T13:00:00Z' },
  })
  const [d] = (await get(`/v1/campaigns/${window.json().campaignId}/deliveries`)).json().deliveries
  t.equal(d.status, 'scheduled')
  t.ok(d.sendAt >= '2026-11-26T00:00:00.000Z', `moved to the next day: ${d.sendAt}`)
  t.match(d.notes, [{ guard: 'frequency_cap', action: 'moved' }])
  const perDay = await db
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('n')])
    .where('userId', '=', 'u7')
    .where('status', '=', 'scheduled')
    .where('sendAt', '>=', new Date('2026-11-25T00:00:00Z'))
    .where('sendAt', '<', new Date('2026-11-26T00:00:00Z'))
    .executeTakeFirstOrThrow()
  t.equal(Number(perDay.n), 2)
})

t.test('calendar by day and week, in the team’s time zone', async (t) => {
  const day = (await get('/v1/calendar?view=day&date=2026-11-25&timeZone=Europe/Paris')).json()
  t.match(day, { view: 'day', from: '2026-11-25', to: '2026-11-25', timeZone: 'Europe/Paris' })
  t.ok(day.days[0].campaigns.some((c: { campaignId: string }) => c.campaignId === campaignId))
  const week = (await get('/v1/calendar?view=week&date=2026-11-27&timeZone=UTC')).json()
  t.equal(week.days.length, 7)
  t.equal(week.from, '2026-11-23')
  t.equal(week.to, '2026-11-29')
  const total = week.days
    .flatMap((d: { campaigns: { scheduled: number; skipped: number }[] }) => d.campaigns)
    .reduce((s: number, c: { scheduled: number; skipped: number }) => s + c.scheduled + c.skipped, 0)
  t.equal(total, 6 + 4, 'every delivery of the week counted once')
})

t.test('reschedule plans again with the guards; cancel stops what is not sent', async (t) => {
  const r = await post(`/v1/campaigns/${campaignId}/reschedule`, { window: { start: '2026-11-27T00:00:00Z', end: '2026-11-28T00:00:00Z' } })
  t.equal(r.statusCode, 200, r.body)
  t.match(r.json(), { window: { start: '2026-11-27T00:00:00.000Z' }, deliveries: { scheduled: 4, skipped: 2 } })
  const ds = (await get(`/v1/campaigns/${campaignId}/deliveries?status=scheduled`)).json().deliveries
  t.ok(ds.every((d: { sendAt: string }) => d.sendAt >= '2026-11-27T00:00:00.000Z' && d.sendAt <= '2026-11-28T00:00:00.000Z'))
  // u1's 19:00 Paris on Friday.
  t.ok(ds.some((d: { userId: string; sendAt: string }) => d.userId === 'u1' && d.sendAt === '2026-11-27T18:00:00.000Z'))
  const one = ds[0].deliveryId
  t.match((await post(`/v1/deliveries/${one}/cancel`, {})).json(), { deliveryId: one, status: 'cancelled' })
  const cancelled = await post(`/v1/campaigns/${campaignId}/cancel`, {})
  t.match(cancelled.json(), { status: 'cancelled', deliveries: { scheduled: 0, cancelled: 4, skipped: 2 } })
  t.equal((await post(`/v1/campaigns/${campaignId}/reschedule`, { window: { end: '2026-11-28T00:00:00Z' } })).statusCode, 409)
})

t.test('holdout: a share of recipients at random times, reported per campaign with uplift', async (t) => {
  const users = Array.from({ length: 200 }, (_, i) => `h${i}`)
  await feed(
    'profiles',
    users.map((u) => preferencesEvent(u, past)),
  )
  const r = await post('/v1/campaigns', {
    name: 'Holdout test',
    channel: 'in_app',
    content: { text: 'hello' },
    audience: { userIds: users },
    strategy: 'best_time',
    window: { end: new Date(now.getTime() + DAY).toISOString() },
    holdoutShare: 0.25,
  })
  t.equal(r.statusCode, 201)
  const id = r.json().campaignId
  const rows = await db.selectFrom('deliveries').select(['deliveryId', 'userId', 'grp', 'sendAt']).where('campaignId', '=', id).execute()
  const holdout = rows.filter((d) => d.grp === 'holdout')
  t.ok(holdout.length > 25 && holdout.length < 80, `about a quarter in the holdout: ${holdout.length}`)
  t.ok(new Set(holdout.map((d) => d.sendAt.getTime())).size > 10, 'random times')
  // Mark them sent (as the dispatcher would) and let engagements arrive: personalized users engage more.
  await db.updateTable('deliveries').set({ status: 'sent', sentAt: now }).where('campaignId', '=', id).execute()
  const engaged = rows
    .filter((d, i) => (d.grp === 'holdout' ? i % 4 === 0 : i % 2 === 0))
    .map((d) => interactionEvent(d.userId, new Date(now.getTime() + 3_600_000)))
  await feed('interactions', engaged)
  const report = (await get(`/v1/campaigns/${id}/report`)).json()
  t.equal(report.personalized.sent + report.holdout.sent, 200)
  t.ok(report.personalized.rate > report.holdout.rate, `${report.personalized.rate} > ${report.holdout.rate}`)
  t.ok(report.uplift.absolute > 0)
  t.equal(report.attributionWindowHours, 24)
})

t.test('bad input is a 4xx problem naming the field', async (t) => {
  const base = { name: 'x', channel: 'push', content: { text: 'hi' }, audience: { userIds: ['u1'] } }
  const cases: [object, number, string][] = [
    [{ ...base, strategy: 'best_time', window: { end: '2026-11-20T00:00:00Z' } }, 400, '/window/end'],
    [{ ...base, strategy: 'best_time', window: { start: '2026-11-26T00:00:00Z', end: '2026-11-25T18:00:00Z' } }, 400, '/window/end'],
    [{ ...base, strategy: 'best_time', window: { end: '2026-12-25T00:00:00Z' } }, 400, '/window/end'],
    [{ ...base, strategy: 'best_time' }, 400, '/window'],
    [{ ...base, strategy: 'fixed' }, 400, '/sendAt'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-24T00:00:00Z' }, 400, '/sendAt'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-26T00:00:00Z', holdoutShare: 0.1 }, 400, '/holdoutShare'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-26T00:00:00Z', content: { title: 'no body' } }, 400, '/content'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-26T00:00:00Z', audience: { segmentId: randomUUID() } }, 422, '/audience/segmentId'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-26T00:00:00Z', channel: 'carrier_pigeon' }, 400, '/channel'],
    [{ ...base, strategy: 'fixed', sendAt: 'tomorrow' }, 400, '/sendAt'],
    // Planning past these would reach the year 10000 (a 500 before).
    [{ ...base, strategy: 'fixed', sendAt: '9999-12-31T00:00:00Z' }, 400, '/sendAt'],
    [{ ...base, strategy: 'best_time', window: { start: '9999-12-20T00:00:00Z', end: '9999-12-31T00:00:00Z' } }, 400, '/window/end'],
    [{ ...base, strategy: 'sometime' }, 400, '/strategy'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-26T00:00:00Z', audience: { userIds: ['has space'] } }, 400, '/audience/userIds/0'],
    [{ ...base, strategy: 'fixed', sendAt: '2026-11-26T00:00:00Z', webhookUrl: 'ftp://x' }, 400, '/webhookUrl'],
  ]
  for (const [payload, status, field] of cases) {
    const r = await post('/v1/campaigns', payload)
    t.equal(r.statusCode, status, `${JSON.stringify(payload).slice(0, 120)} → ${r.body.slice(0, 200)}`)
    t.match(r.headers['content-type'], /application\/problem\+json/)
    t.ok(
      r.json().errors?.some((e: { field: string }) => e.field.startsWith(field)),
      `names ${field}: ${r.body.slice(0, 300)}`,
    )
  }
  for (const [url, field] of [
    ['/v1/calendar?date=2026-11-25&timeZone=Mars/Olympus', '/timeZone'],
    ['/v1/calendar?date=25-11-2026', '/date'],
    // The week of 9999-12-31 ends in the year 10000; the year 0001 was read as 1901.
    ['/v1/calendar?view=week&date=9999-12-31&timeZone=UTC', '/date'],
    ['/v1/calendar?view=day&date=0001-01-01', '/date'],
    ['/v1/users/u1/best-times?channel=fax', '/channel'],
    ['/v1/users/u1/best-times?count=0', '/count'],
    [`/v1/campaigns/${randomUUID()}/deliveries?limit=0`, '/limit'],
  ] as const) {
    const r = await get(url)
    t.equal(r.statusCode, 400, url)
    t.ok(
      r.json().errors?.some((e: { field: string }) => e.field === field),
      `${url} names ${field}: ${r.body.slice(0, 300)}`,
    )
  }
  for (const url of [
    '/v1/calendar?view=week&date=1970-01-01',
    '/v1/calendar?view=day&date=9999-12-31&timeZone=America/Los_Angeles',
    '/v1/calendar?view=week&date=9999-12-26',
  ])
    t.equal((await get(url)).statusCode, 200, `${url}: the edges of the range`)
  t.equal((await get(`/v1/campaigns/${randomUUID()}`)).statusCode, 404)
  t.equal((await get('/v1/campaigns/not-a-uuid')).statusCode, 400)
  t.equal((await app.inject({ url: '/v1/users/u1/best-times' })).statusCode, 401)
})

t.test('erasure leaves nothing about the user; export lists it first', async (t) => {
  const listed = await post('/v1/campaigns', {
    name: 'Two users',
    channel: 'in_app',
    content: { text: 'hi' },
    audience: { userIds: ['u1', 'u3'] },
    strategy: 'fixed',
    sendAt: new Date(now.getTime() + 3_600_000).toISOString(),
  })
  t.equal(listed.statusCode, 201)
  const exported = await exportUser(db, 'u1')
  t.match(exported, { userId: 'u1', preferences: { timeZone: 'Europe/Paris' }, segments: [{ segmentId: segment }] })
  t.ok(exported.activity.some((a) => a.channel === 'push' && a.events > 0 && a.bins.length === 168))
  t.ok(exported.deliveries.length > 0)
  const before = await Promise.all(
    (['activityModels', 'userPreferences', 'deliveries', 'userSegments'] as const).map((table) =>
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', 'u1')
        .executeTakeFirstOrThrow(),
    ),
  )
  t.ok(
    before.every((r) => Number(r.n) > 0),
    'u1 has rows everywhere',
  )
  const confirmations: string[] = []
  const watch = await bus.subscribe({
    groupId: 'test.privacy-watch',
    topics: ['attune.privacy'],
    handleBatch: async (messages) => {
      for (const m of messages) confirmations.push((JSON.parse(m.value) as AnyEvent).type)
    },
  })
  const erase = makeEvent({ type: 'privacy.erasure-requested', source: 'profiling', subject: 'u1', data: { requestId: randomUUID(), userId: 'u1' } }, now)
  await bus.publish([{ topic: 'attune.privacy', key: 'u1', value: JSON.stringify(erase) }])
  await bus.idle()
  for (const table of ['activityModels', 'userPreferences', 'userConsents', 'deliveries', 'userSegments'] as const) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('userId', '=', 'u1')
      .executeTakeFirstOrThrow()
    t.equal(Number(r.n), 0, `${table} has nothing about u1`)
  }
  const lists = await db.selectFrom('campaigns').select('audience').execute()
  t.notOk(
    lists.some((c) => c.audience.userIds?.includes('u1')),
    'u1 is gone from campaign user lists',
  )
  t.match((await get(`/v1/campaigns/${listed.json().campaignId}`)).json(), { audience: { userIds: ['u3'] }, deliveries: { total: 1 } })
  await service.relay.publishBatch()
  await bus.idle()
  t.ok(confirmations.includes('privacy.erasure-completed'), 'erasure confirmed')
  await watch.stop()
})
