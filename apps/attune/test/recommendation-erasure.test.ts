// Erasure reaches everything recommendation learned about a user, through the real flow on real
// Postgres and a Kafka protocol peer: interactions, follows, attribution, preferences and segment
// memberships arrive from profiling; profiling's erasure request makes recommendation delete them
// all (follows of the user by others too) and confirm, and the request completes.
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
const reco = await startTestService(recommendation, { database, bus: bus('recommendation'), env })
t.teardown(async () => {
  await prof.close()
  await reco.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

const tables = ['user_item_interactions', 'recommendation_feedback', 'user_preferences', 'user_segments'] as const
/** Rows recommendation holds about a user, per table; follows both ways. */
async function held(userId: string) {
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.root)).rows[0]?.n ?? 0
  const out: Record<string, number> = {}
  for (const table of tables)
    out[table] = await count(sql<{ n: number }>`select count(*)::int as n from recommendation.${sql.raw(table)} where user_id = ${userId}`)
  out.follows = await count(sql<{ n: number }>`select count(*)::int as n from recommendation.follows where user_id = ${userId}`)
  out.followedBy = await count(sql<{ n: number }>`select count(*)::int as n from recommendation.follows where target_type = 'user' and target_id = ${userId}`)
  return out
}

t.test('everything recommendation learned about a user is erased before the request completes', async (t) => {
  const user = `u-${randomUUID().slice(0, 8)}`
  const friend = `f-${randomUUID().slice(0, 8)}`
  const events = [
    { id: randomUUID(), type: 'like', userId: user, itemId: 'article-1', recommendationId: 'rec-1' },
    { id: randomUUID(), type: 'follow', userId: user, targetType: 'author', targetId: 'author-1' },
    { id: randomUUID(), type: 'follow', userId: friend, targetType: 'user', targetId: user },
  ]
  t.equal((await prof.app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })).statusCode, 202)
  const prefs = { mutedAuthors: ['author-9'], languages: ['fr'] }
  t.equal((await prof.app.inject({ method: 'PATCH', url: `/v1/users/${user}/preferences`, headers: asAdmin, payload: prefs })).statusCode, 200)
  // Profiles exist once profiling's own consumer has applied the like; a segment created then includes the user.
  await waitFor(async () => (await prof.app.inject({ url: `/v1/profiles/${user}`, headers: asAdmin })).statusCode === 200, {
    timeoutMs: 60_000,
    what: 'the profile',
  })
  const segment = { name: `likers ${user}`, rule: { event: 'like', withinDays: 7, op: 'gte', value: 1 } }
  t.equal((await prof.app.inject({ method: 'POST', url: '/v1/segments', headers: asAdmin, payload: segment })).statusCode, 201)

  const expected = { user_item_interactions: 1, recommendation_feedback: 1, user_preferences: 1, user_segments: 1, follows: 1, followedBy: 1 }
  const learned = await waitFor(
    async () => {
      const h = await held(user)
      return Object.entries(expected).every(([k, v]) => h[k] === v) ? h : undefined
    },
    { timeoutMs: 60_000, what: `recommendation to learn about the user (expected ${JSON.stringify(expected)})` },
  )
  t.same(learned, expected)

  const started = await prof.app.inject({ method: 'POST', url: `/v1/privacy/erasure/${user}`, headers: asAdmin })
  t.equal(started.statusCode, 202)
  const { id } = started.json()
  const done = await waitFor(
    async () => {
      const s = (await prof.app.inject({ url: `/v1/privacy/requests/${id}`, headers: asAdmin })).json()
      return s.status === 'completed' ? s : undefined
    },
    { timeoutMs: 60_000, what: 'the erasure to complete' },
  )
  t.same(done.confirmations.map((c: { service: string }) => c.service).sort(), ['profiling', 'recommendation'])
  t.same(await held(user), { user_item_interactions: 0, recommendation_feedback: 0, user_preferences: 0, user_segments: 0, follows: 0, followedBy: 0 })
})
