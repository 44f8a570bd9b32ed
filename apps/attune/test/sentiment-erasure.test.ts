// Sentiment through the real flow on real Postgres and a Kafka protocol peer: a comment collected by
// profiling is scored by sentiment, whose sentiment.scored reaches the user's profile; profiling's
// erasure request makes sentiment delete the user's scored texts and aggregates and confirm, and
// the request completes only then.
import { randomUUID } from 'node:crypto'
import { KafkaBus, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sentiment } from '@attune/sentiment'
import { sql } from 'kysely'
import pino from 'pino'
import t from 'tap'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const bus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
const env = { KAFKA_TOPIC_PREFIX: prefix, PRIVACY_SERVICES: 'profiling,sentiment' }
const prof = await startTestService(profiling, { database, bus: bus('profiling'), env })
const senti = await startTestService(sentiment, { database, bus: bus('sentiment'), env })
t.teardown(async () => {
  await prof.close()
  await senti.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.root)).rows[0]?.n ?? 0
const held = async (userId: string) => ({
  scoredTexts: await count(sql<{ n: number }>`select count(*)::int as n from sentiment.scored_texts where user_id = ${userId}`),
  userBuckets: await count(sql<{ n: number }>`select count(*)::int as n from sentiment.sentiment_buckets where dimension = 'user' and key = ${userId}`),
})

t.test('a scored comment reaches the profile; erasure removes it from sentiment before completing', async (t) => {
  const user = `u-${randomUUID().slice(0, 8)}`
  const events = [{ id: randomUUID(), type: 'comment', userId: user, itemId: 'article-1', text: 'This is awful, I am so disappointed 😞' }]
  t.equal((await prof.app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })).statusCode, 202)
  const profile = await waitFor(
    async () => {
      const r = await prof.app.inject({ url: `/v1/profiles/${user}`, headers: asAdmin })
      return r.statusCode === 200 && r.json().traits.sentiment ? r.json() : undefined
    },
    { timeoutMs: 30_000, what: 'the sentiment trait on the profile' },
  )
  t.match(profile.traits.sentiment, { samples: 1 })
  t.ok(profile.traits.sentiment.average < 0, 'a negative comment')
  t.same(await held(user), { scoredTexts: 1, userBuckets: 1 })

  const started = await prof.app.inject({ method: 'POST', url: `/v1/privacy/erasure/${user}`, headers: asAdmin })
  t.equal(started.statusCode, 202)
  const { id } = started.json()
  const done = await waitFor(
    async () => {
      const s = (await prof.app.inject({ url: `/v1/privacy/requests/${id}`, headers: asAdmin })).json()
      return s.status === 'completed' ? s : undefined
    },
    { timeoutMs: 30_000, what: 'the erasure to complete' },
  )
  t.same(done.confirmations.map((c: { service: string }) => c.service).sort(), ['profiling', 'sentiment'])
  t.same(await held(user), { scoredTexts: 0, userBuckets: 0 })
})
