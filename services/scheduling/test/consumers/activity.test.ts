// The activity model learned from the real streams (Kafka): attune.interactions in the user's time
// zone from attune.profiles; a change of habit moves the best time; a time zone set later moves
// the history with it; consents and segments are mirrored; a replay is applied once.
import { randomUUID } from 'node:crypto'
import type { AnyEvent } from '@attune/contracts'
import { KafkaBus, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import pino from 'pino'
import t from 'tap'
import { scheduling } from '../../src/app.ts'
import { consentEvent, interactionEvent, preferencesEvent, segmentEvent } from '../helpers.ts'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const newBus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
let now = new Date('2026-09-01T00:00:00Z')
const service = await startTestService(scheduling, {
  database,
  bus: newBus('scheduling'),
  env: { KAFKA_TOPIC_PREFIX: prefix, DISPATCH_ENABLED: 'false' },
  clock: () => now,
})
const db = service.context.db
const publisher = newBus('publisher')
t.teardown(async () => {
  await publisher.close()
  await service.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

async function publish(topic: string, events: AnyEvent[]) {
  for (let i = 0; i < events.length; i += 200)
    await publisher.publish(events.slice(i, i + 200).map((e) => ({ topic: `${prefix}.${topic}`, key: e.subject, value: JSON.stringify(e) })))
}
const DAY = 86_400_000
const eventsOf = async (userId: string) =>
  Number((await db.selectFrom('activityModels').select('events').where('userId', '=', userId).where('channel', '=', 'all').executeTakeFirst())?.events ?? 0)
const best = async (userId: string) => (await service.app.inject({ url: `/v1/users/${userId}/best-times?count=1`, headers: asAdmin })).json()

/** Daily engagements at a UTC hour on [from, to). */
function daily(userId: string, utcHour: number, from: Date, to: Date): AnyEvent[] {
  const out: AnyEvent[] = []
  for (let d = from.getTime(); d < to.getTime(); d += DAY) out.push(interactionEvent(userId, new Date(d + utcHour * 3_600_000 + 600_000), 'click'))
  return out
}

t.test('the model shifts after a change of habit', async (t) => {
  const start = new Date('2026-06-01T00:00:00Z')
  const change = new Date('2026-08-01T00:00:00Z')
  const morning = daily('habit', 7, start, change)
  await publish('interactions', morning)
  await waitFor(async () => (await eventsOf('habit')) === morning.length, { what: 'morning history' })
  now = change
  t.equal((await best('habit')).times[0].localTime, '07:00')
  const evening = daily('habit', 21, change, new Date(change.getTime() + 28 * DAY))
  await publish('interactions', evening)
  await waitFor(async () => (await eventsOf('habit')) === morning.length + evening.length, { what: 'evening history' })
  now = new Date(change.getTime() + 28 * DAY)
  const after = await best('habit')
  t.equal(after.times[0].localTime, '21:00', `moved to the evening: ${after.reason}`)
  t.match(after.reason, /^most engagement on .+ 21:00–22:00, 89 events in \d+ days$/)
  // The same events again (a redelivery) change nothing.
  await publish('interactions', evening.slice(0, 10))
  const probe = interactionEvent('probe', now)
  await publish('interactions', [probe])
  await waitFor(async () => (await eventsOf('probe')) === 1, { what: 'probe' })
  t.equal(await eventsOf('habit'), morning.length + evening.length, 'duplicates ignored')
})

t.test('local time: bins follow the user’s time zone, and move when it is set later', async (t) => {
  // 18:00Z daily in November: 19:00 in Paris.
  const from = new Date('2026-11-01T00:00:00Z')
  now = new Date('2026-11-25T00:00:00Z')
  await publish('profiles', [
    preferencesEvent('tz-first', new Date('2026-10-01T00:00:00Z'), { quietHours: { start: '23:00', end: '06:00', timeZone: 'Europe/Paris' } }),
  ])
  await waitFor(
    async () => (await db.selectFrom('userPreferences').select('timeZone').where('userId', '=', 'tz-first').executeTakeFirst())?.timeZone === 'Europe/Paris',
  )
  await publish('interactions', [...daily('tz-first', 18, from, now), ...daily('tz-later', 18, from, now)])
  await waitFor(async () => (await eventsOf('tz-first')) === 24 && (await eventsOf('tz-later')) === 24, { what: 'histories' })
  t.match(await best('tz-first'), { timeZone: 'Europe/Paris', times: [{ localTime: '19:00', nextAt: /T18:00:00.000Z$/ }] })
  t.match(await best('tz-later'), { timeZone: 'UTC', times: [{ localTime: '18:00' }] })
  // tz-later now says they live in Tokyo (+9): the history moves to 03:00 local, the same instants.
  await publish('profiles', [preferencesEvent('tz-later', now, { quietHours: { start: '23:00', end: '01:00', timeZone: 'Asia/Tokyo' } })])
  await waitFor(async () => (await best('tz-later')).timeZone === 'Asia/Tokyo', { what: 'zone mirrored' })
  t.match(await best('tz-later'), { times: [{ localTime: '03:00', nextAt: /T18:00:00.000Z$/ }] })
})

t.test('consents, segments and the segment profile are mirrored', async (t) => {
  const seg = randomUUID()
  const at = new Date('2026-11-20T00:00:00Z')
  await publish('profiles', [consentEvent('c1', at, { push: 'denied', personalization: 'granted' }), segmentEvent('s1', seg, at), segmentEvent('s2', seg, at)])
  await waitFor(async () => (await db.selectFrom('userSegments').select('userId').where('segmentId', '=', seg).execute()).length === 2, { what: 'members' })
  await waitFor(async () => (await db.selectFrom('userConsents').select('states').where('userId', '=', 'c1').executeTakeFirst())?.states.push === 'denied', {
    what: 'consents',
  })
  // Segment members engage at 05:00Z; a newcomer to the segment gets that, not the population's hour.
  await publish('interactions', [...daily('s1', 5, new Date('2026-11-10T00:00:00Z'), now), ...daily('s2', 5, new Date('2026-11-10T00:00:00Z'), now)])
  await waitFor(async () => (await eventsOf('s2')) === 15, { what: 'segment history' })
  await publish('profiles', [segmentEvent('s3', seg, at)])
  await waitFor(async () => (await db.selectFrom('userSegments').select('userId').where('userId', '=', 's3').execute()).length === 1)
  const s3 = await best('s3')
  t.match(s3, { source: 'audience', reason: /audience pattern of the user's segments/, times: [{ localTime: '05:00' }] })
  await publish('profiles', [segmentEvent('s3', seg, at, 'left')])
  await waitFor(async () => (await db.selectFrom('userSegments').select('userId').where('userId', '=', 's3').execute()).length === 0, { what: 'left' })
})
