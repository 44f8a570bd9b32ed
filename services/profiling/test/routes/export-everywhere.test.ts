// A user's export in one document (GET /v1/privacy/users/{userId}/export): profiling's part and,
// over HTTP, each source's `GET /v1/privacy/users/{userId}/data` (here a profiling replica stands
// in for another service: every service has that route from the kit). All or nothing: a source
// that cannot answer is a 502 naming it. The six real services are in apps/attune's erasure test.
import { randomUUID } from 'node:crypto'
import { MemoryBus, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, freePort, startTestService, TEST_SECRET_KEY } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import t from 'tap'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const replica = await startTestService(profiling, { database, bus: new MemoryBus() })
const replicaUrl = await replica.app.listen({ host: '127.0.0.1', port: 0 })
const gone = `http://127.0.0.1:${await freePort()}`
const whole = await startTestService(profiling, {
  database,
  bus: new MemoryBus(),
  env: { PRIVACY_EXPORT_SOURCES: `mirror=${replicaUrl}`, PRIVACY_EXPORT_API_KEY: TEST_SECRET_KEY },
})
// A source that is down, and one asked without a key.
const broken = await startTestService(profiling, {
  database,
  bus: new MemoryBus(),
  env: { PRIVACY_EXPORT_SOURCES: `mirror=${replicaUrl},gone=${gone}`, PRIVACY_EXPORT_TIMEOUT_MS: '2000' },
})
t.teardown(async () => {
  for (const s of [broken, whole, replica]) await s.close()
  await database.close()
  await pg.drop()
})

const exportOf = (s: typeof whole, userId: string) => s.app.inject({ url: `/v1/privacy/users/${encodeURIComponent(userId)}/export`, headers: asAdmin })

t.test('one document: profiling’s part and each source’s, by service name', async (t) => {
  const user = `whole-${randomUUID().slice(0, 8)}`
  const r = await whole.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: asSite,
    payload: { events: [{ id: randomUUID(), type: 'like', userId: user, itemId: 'article-9' }] },
  })
  t.equal(r.statusCode, 202)
  const e = await exportOf(whole, user)
  t.equal(e.statusCode, 200)
  const body = e.json()
  t.equal(body.userId, user)
  t.same(Object.keys(body.services), ['profiling', 'mirror'], 'profiling first, then the sources in order')
  t.match(JSON.stringify(body.services.profiling), 'article-9', 'profiling’s part holds the user’s event')
  t.same(body.services.mirror, body.services.profiling, 'the source’s part is its own export of the user')
  const own = await whole.app.inject({ url: `/v1/privacy/users/${user}/data`, headers: asAdmin })
  t.same(own.json().data, body.services.profiling, 'the same as profiling’s own export route')
})

t.test('a source that cannot answer makes it a 502 naming it; nothing partial is given', async (t) => {
  const e = await exportOf(broken, 'user-1')
  t.equal(e.statusCode, 502)
  t.match(e.headers['content-type'], /application\/problem\+json/)
  const problem = e.json()
  t.equal(problem.code, 'bad_gateway')
  t.match(problem.detail, /gone: unreachable/)
  t.match(problem.detail, /mirror: answered HTTP 401/, 'a source asked without an admin key refuses')
  t.notMatch(problem.detail, /user-1/, 'the problem names services, not the user')
})

t.test('bad input: 400 naming the field; an admin key is needed', async (t) => {
  const bad = await exportOf(whole, 'has space')
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().errors[0].field, '/userId')
  const site = await whole.app.inject({ url: '/v1/privacy/users/user-1/export', headers: asSite })
  t.equal(site.statusCode, 403)
})
