// The backbone end to end: POST /v1/events in profiling → its outbox → Kafka → the recommendation
// consumer → GET /v1/trending, on real Postgres and a real Kafka protocol peer.
import { randomUUID } from 'node:crypto'
import { InteractionRecorded, Topics, topicName } from '@attune/contracts'
import { KafkaBus, makeEvent, openDatabase } from '@attune/kit'
import { asSite, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { recommendation } from '@attune/recommendation'
import pino from 'pino'
import t from 'tap'
import { Value } from 'typebox/value'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const bus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log })
const env = { KAFKA_TOPIC_PREFIX: prefix }
const prof = await startTestService(profiling, { database, bus: bus('profiling'), env })
const reco = await startTestService(recommendation, { database, bus: bus('recommendation'), env })
const injector = bus('injector')
t.teardown(async () => {
  await prof.close()
  await reco.close()
  await injector.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

type Trending = { items: { itemId: string; events: number; score: number }[] }
const trending = async (): Promise<Trending> => (await reco.app.inject({ url: '/v1/trending?window=24h&limit=100', headers: asSite })).json()
const eventsOf = async (itemId: string) => (await trending()).items.find((i) => i.itemId === itemId)?.events ?? 0
const interaction = (itemId: string, type = 'click') => ({ id: randomUUID(), type, userId: `u-${randomUUID().slice(0, 8)}`, itemId })

t.test('an event collected by profiling changes trending in recommendation', async (t) => {
  t.same((await trending()).items, [], 'nothing trends yet')
  const r = await prof.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: asSite,
    payload: { events: [interaction('hot'), interaction('hot'), interaction('hot', 'share'), interaction('mild', 'view')] },
  })
  t.equal(r.statusCode, 202)
  await waitFor(async () => (await eventsOf('hot')) === 3 && (await eventsOf('mild')) === 1, { timeoutMs: 60_000, what: 'trending to reflect the events' })
  const items = (await trending()).items
  t.same(
    items.map((i) => i.itemId),
    ['hot', 'mild'],
    'the more engaged item ranks first',
  )
})

t.test('what profiling publishes is a valid interaction.recorded envelope keyed by the user', async (t) => {
  const seen: { key: string; value: string }[] = []
  const sub = await injector.subscribe({
    groupId: `${prefix}.inspector`,
    topics: [topicName(prefix, Topics.interactions)],
    handleBatch: async (m) => void seen.push(...m),
  })
  const e = interaction('inspected')
  await prof.app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events: [e] } })
  const msg = await waitFor(() => seen.find((m) => m.value.includes(e.id)), { timeoutMs: 60_000, what: 'the published event' })
  const envelope = JSON.parse(msg.value)
  t.ok(Value.Check(InteractionRecorded, envelope), 'matches the contract')
  t.equal(msg.key, e.userId)
  t.equal(envelope.subject, e.userId)
  t.match(envelope.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/, 'UUIDv7 envelope id')
  await sub.stop()
})

t.test('the same event delivered twice by Kafka is counted once', async (t) => {
  const envelope = makeEvent(
    {
      type: 'interaction.recorded',
      source: 'profiling',
      subject: 'u-dup',
      data: { interaction: { ...interaction('dup-item'), time: new Date().toISOString() }, receivedAt: new Date().toISOString() },
    },
    new Date(),
  )
  const topic = topicName(prefix, Topics.interactions)
  const message = { topic, key: 'u-dup', value: JSON.stringify(envelope) }
  await injector.publish([message])
  await injector.publish([message])
  await prof.app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events: [{ ...interaction('after-dup'), userId: 'u-dup' }] } })
  await waitFor(async () => (await eventsOf('after-dup')) === 1, { timeoutMs: 60_000, what: 'the later event' })
  t.equal(await eventsOf('dup-item'), 1)
})
