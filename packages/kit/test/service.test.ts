import { type KitTables, MemoryBus, openDatabase, type ServiceDefinition } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, startTestService } from '@attune/kit/testing'
import { sql } from 'kysely'
import t from 'tap'
import { Type } from 'typebox'

// A minimal service exercising the kit: one route per scope, one that throws, one with a query.
const probe: ServiceDefinition<KitTables> = {
  name: 'probe',
  version: '0.0.1',
  description: 'kit test service',
  tags: [{ name: 'probe', description: 'test' }],
  migrations: {},
  routes(app) {
    app.get('/v1/admin-only', { schema: { operationId: 'adminOnly', tags: ['probe'], response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => ({
      ok: true,
    }))
    app.get(
      '/v1/read',
      {
        config: { scope: 'recommendations:read' },
        schema: { operationId: 'read', tags: ['probe'], querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10, default: 5 }) }) },
      },
      async (req) => ({ limit: req.query.limit }),
    )
    app.post(
      '/v1/echo',
      { schema: { operationId: 'echo', tags: ['probe'], body: Type.Object({ notes: Type.Array(Type.Record(Type.String(), Type.String())) }) } },
      async (req) => req.body,
    )
    app.get(
      '/v1/limited',
      { config: { scope: 'recommendations:read', rateLimit: { max: 2, timeWindow: 60_000 } }, schema: { operationId: 'limited', tags: ['probe'] } },
      async () => ({ ok: true }),
    )
    app.get('/v1/boom', { config: { scope: 'events:write' }, schema: { operationId: 'boom', tags: ['probe'] } }, async () => {
      throw new Error('connection string postgres://secret@db leaked')
    })
  },
}

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const service = await startTestService(probe, { database, bus: new MemoryBus(), env: { RATE_LIMIT_MAX: '20', RATE_LIMIT_WINDOW_MS: '60000' } })
const { app } = service
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

t.test('scopes: no key 401, public key on an admin route 403, secret key passes', async (t) => {
  const none = await app.inject({ url: '/v1/admin-only' })
  t.equal(none.statusCode, 401)
  t.equal(none.json().code, 'unauthorized')
  t.match(none.headers['content-type'], /^application\/problem\+json/)
  const pub = await app.inject({ url: '/v1/admin-only', headers: asSite })
  t.equal(pub.statusCode, 403)
  t.equal(pub.json().code, 'forbidden')
  t.equal((await app.inject({ url: '/v1/admin-only', headers: asAdmin })).statusCode, 200)
  t.equal((await app.inject({ url: '/v1/read', headers: asSite })).statusCode, 200, 'public keys may read recommendations')
})

t.test('a 500 hides its cause and carries the request id', async (t) => {
  const r = await app.inject({ url: '/v1/boom', headers: { ...asSite, 'x-request-id': 'req-123' } })
  t.equal(r.statusCode, 500)
  const body = r.json()
  t.equal(body.code, 'internal_error')
  t.equal(body.instance, 'req-123')
  t.equal(r.headers['x-request-id'], 'req-123')
  t.notMatch(r.body, /secret|postgres/)
})

t.test('query validation names the field and where it is', async (t) => {
  const r = await app.inject({ url: '/v1/read?limit=50', headers: asSite })
  t.equal(r.statusCode, 400)
  t.same(r.json().errors, [{ field: '/limit', in: 'querystring', message: 'must be <= 10' }])
  t.same((await app.inject({ url: '/v1/read?limit=3', headers: asSite })).json(), { limit: 3 }, 'query strings coerce')
})

t.test('JSON bodies: U+0000 and unpaired surrogates (which Postgres cannot store) are refused by field; prototype poisoning too', async (t) => {
  const post = (payload: string) => app.inject({ method: 'POST', url: '/v1/echo', headers: { ...asAdmin, 'content-type': 'application/json' }, payload })
  const nul = await post('{"notes":[{"a":"fine"},{"b":"x\\u0000y"}]}')
  t.equal(nul.statusCode, 400)
  t.match(nul.headers['content-type'], /application\/problem\+json/)
  t.same(nul.json().errors, [{ field: '/notes/1/b', in: 'body', message: 'must not contain the NUL character (U+0000) or an unpaired surrogate' }])
  const lone = await post('{"notes":[{"a":"ok \\ud83d\\ude00"},{"b":"half \\ud83d"}]}')
  t.equal(lone.statusCode, 400, 'a lone surrogate is refused')
  t.equal(lone.json().errors[0].field, '/notes/1/b', 'the emoji (a surrogate pair) before it is fine')
  const pair = await post('{"notes":[{"a":"\\uD83D\\uDE00"}]}')
  t.equal(pair.statusCode, 200, 'an escaped surrogate pair is ordinary text')
  const key = await post('{"notes":[{"k\\u0000":"v"}]}')
  t.equal(key.json().errors[0].field, '/notes/0/k\u0000')
  const escapedBackslash = await post('{"notes":[{"a":"\\\\u0000"}]}')
  t.equal(escapedBackslash.statusCode, 200, 'a literal backslash-u0000 is ordinary text')
  t.same(escapedBackslash.json(), { notes: [{ a: '\\u0000' }] })
  const poisoned = await post('{"notes":[],"__proto__":{"x":1}}')
  t.equal(poisoned.statusCode, 400)
  t.equal((await post('{"notes":[],"\\u005f_proto__":{"x":1}}')).statusCode, 400, 'an escaped __proto__ too')
  t.equal((await post('{"notes":[],"constructor":{"prototype":{"x":1}}}')).statusCode, 400)
  t.equal((await post('{"notes":[],"c\\u006fnstructor":{"prototype":{"x":1}}}')).statusCode, 400, 'an escaped constructor too')
  t.same((await post('{"notes":[{"a":"constructor"}]}')).json(), { notes: [{ a: 'constructor' }] }, 'the word as a value is text')
  const broken = await post('{"notes":[')
  t.equal(broken.statusCode, 400)
  t.match(broken.headers['content-type'], /application\/problem\+json/)
  t.equal((await post('')).statusCode, 400, 'an empty body')
})

t.test('unknown routes are problems too', async (t) => {
  const r = await app.inject({ url: '/v1/nope', headers: asAdmin })
  t.equal(r.statusCode, 404)
  t.equal(r.json().code, 'not_found')
})

t.test('health and metrics need no key', async (t) => {
  t.same((await app.inject({ url: '/health/live' })).json(), { status: 'ok' })
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json().checks, { database: 'ok', bus: 'ok', started: 'ok' })
  const metrics = await app.inject({ url: '/metrics' })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /http_request_duration_seconds_count\{[^}]*route="\/v1\/read"/)
  t.match(metrics.body, /service="probe"/)
})

t.test('rate limit per key answers 429 problem+json with retry-after', async (t) => {
  let last = await app.inject({ url: '/v1/read', headers: asAdmin })
  for (let i = 0; i < 25 && last.statusCode !== 429; i++) last = await app.inject({ url: '/v1/read', headers: asAdmin })
  t.equal(last.statusCode, 429)
  t.equal(last.json().code, 'rate_limited')
  t.ok(Number(last.headers['retry-after']) > 0)
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200, 'health is never rate limited')
})

t.test('a route with its own rate limit answers 429 past it, per key', async (t) => {
  const first = await app.inject({ url: '/v1/limited', headers: asSite })
  t.equal(first.statusCode, 200)
  t.equal(first.headers['x-ratelimit-limit'], '2')
  t.equal(first.headers['x-ratelimit-remaining'], '1')
  t.ok(Number(first.headers['x-ratelimit-reset']) > 0)
  t.equal((await app.inject({ url: '/v1/limited', headers: asSite })).statusCode, 200)
  const over = await app.inject({ url: '/v1/limited', headers: asSite })
  t.equal(over.statusCode, 429)
  t.match(over.headers['content-type'], /^application\/problem\+json/)
  t.equal(over.headers['x-ratelimit-remaining'], '0')
  const admin = await app.inject({ url: '/v1/limited', headers: asAdmin })
  t.equal(admin.statusCode, 429, 'a key past the service-wide limit (the test above) is limited on this route too')
  t.equal(admin.headers['x-ratelimit-limit'], '20')
})

t.test('an idle connection the server terminates does not crash the process', async (t) => {
  const other = await openDatabase(pg.url, { applicationName: 'attune-victim' })
  await sql`select 1`.execute(other.root)
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'attune-victim'`.execute(database.root)
  // The pool noticed, discarded the client, and opens a new one for the next query.
  await new Promise((r) => setTimeout(r, 100))
  const again = await sql<{ one: number }>`select 1 as one`.execute(other.root)
  t.same(again.rows, [{ one: 1 }])
  await other.close()
})

t.test('readiness fails when the database is gone', async (t) => {
  const other = await openDatabase(pg.url)
  const s = await startTestService(probe, { database: other, bus: new MemoryBus() })
  await other.close()
  const r = await s.app.inject({ url: '/health/ready' })
  t.equal(r.statusCode, 503)
  t.equal(r.json().checks.database, 'failing')
  await s.app.close()
})
