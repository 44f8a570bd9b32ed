// Erasure across services on real Postgres and a real Kafka protocol peer: profiling publishes
// privacy.erasure-requested, every service declaring `privacy.erase` erases and confirms, and the
// request completes only once all of PRIVACY_SERVICES (profiling, recommendation) confirmed.
import { randomUUID } from 'node:crypto'
import { KafkaBus, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { recommendation } from '@attune/recommendation'
import { sql } from 'kysely'
import pino from 'pino'
import t from 'tap'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const bus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log })
const env = { KAFKA_TOPIC_PREFIX: prefix, PRIVACY_SERVICES: 'profiling,recommendation' }
const prof = await startTestService(profiling, { database, bus: bus('profiling'), env })
let reco: { close(): Promise<void> } | undefined
t.teardown(async () => {
  await prof.close()
  await reco?.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

type Request = { status: string; userId: string | null; confirmations: { service: string }[]; awaiting: string[] }
const status = async (id: string): Promise<Request> => (await prof.app.inject({ url: `/v1/privacy/requests/${id}`, headers: asAdmin })).json()
const eventsOf = async (userId: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from profiling.events where user_id = ${userId}`.execute(database.root)).rows[0]?.n ?? 0

t.test('an erasure completes only after both profiling and recommendation confirmed', async (t) => {
  const userId = `u-${randomUUID().slice(0, 8)}`
  const r = await prof.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: asSite,
    payload: { events: [{ id: randomUUID(), type: 'like', userId, itemId: 'article-1' }] },
  })
  t.equal(r.statusCode, 202)
  t.equal(await eventsOf(userId), 1)

  const started = await prof.app.inject({ method: 'POST', url: `/v1/privacy/erasure/${userId}`, headers: asAdmin })
  t.equal(started.statusCode, 202)
  const { id } = started.json()

  const partly = await waitFor(
    async () => {
      const s = await status(id)
      return s.confirmations.some((c) => c.service === 'profiling') ? s : undefined
    },
    { timeoutMs: 60_000, what: "profiling's confirmation" },
  )
  t.equal(partly.status, 'pending', 'still pending: recommendation is not running yet')
  t.same(partly.awaiting, ['recommendation'])
  t.equal(await eventsOf(userId), 0, 'profiling already erased its rows')
  const repeated = await prof.app.inject({ method: 'POST', url: `/v1/privacy/erasure/${userId}`, headers: asAdmin })
  t.equal(repeated.json().id, id, 'asking again while pending returns the same request')

  reco = await startTestService(recommendation, { database, bus: bus('recommendation'), env })
  const done = await waitFor(
    async () => {
      const s = await status(id)
      return s.status === 'completed' ? s : undefined
    },
    { timeoutMs: 60_000, what: 'the request to complete' },
  )
  t.same(done.confirmations.map((c) => c.service).sort(), ['profiling', 'recommendation'])
  t.same(done.awaiting, [])
  t.equal(done.userId, null, 'only the hash of the user id is kept')
})
