// Suppression ("delete and suppress"): ids whose collected events profiling refuses until lifted,
// on their own or with an erasure; only hashes are kept, so a suppression outlives the erasure.
import { createHash, randomUUID } from 'node:crypto'
import { MemoryBus } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus, env: { PRIVACY_SERVICES: 'profiling' } })
const { app } = service

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const event = (over: Record<string, unknown>) => ({ id: randomUUID(), type: 'view', itemId: 'article-1', ...over })
const collect = (events: unknown[]) => app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })
const suppressionOf = (id: string, headers = asAdmin) => app.inject({ url: `/v1/privacy/suppressions/${encodeURIComponent(id)}`, headers })
const storedEvents = async (ids: string[]) =>
  (await sql<{ n: number }>`select count(*)::int as n from profiling.events where id in (${sql.join(ids)})`.execute(database.root)).rows[0]?.n
const publishedIds = () => new Set(bus.messages('attune.interactions').map((m) => JSON.parse(m.value).data.interaction.id as string))

t.test('a suppressed user and its merged anonymous ids: events refused, nothing stored or published; others untouched', async (t) => {
  const merged = event({ userId: 'user-s1', anonymousId: 'anon-s1' })
  t.equal((await collect([merged])).statusCode, 202)
  const put = await app.inject({ method: 'PUT', url: '/v1/privacy/suppressions/user-s1', headers: asAdmin })
  t.equal(put.statusCode, 200, put.body)
  t.match(put.json(), { userId: 'user-s1', userIdHash: sha256('user-s1'), requestId: null, subjects: 2 })
  const again = await app.inject({ method: 'PUT', url: '/v1/privacy/suppressions/user-s1', headers: asAdmin })
  t.equal(again.json().suppressedAt, put.json().suppressedAt, 'idempotent: the first time stays')

  const refused = [event({ userId: 'user-s1' }), event({ anonymousId: 'anon-s1' }), event({ userId: 'user-other', anonymousId: 'anon-s1' })]
  const kept = event({ userId: 'user-other' })
  const r = await collect([...refused, kept])
  t.equal(r.statusCode, 202, r.body)
  t.same(r.json(), { accepted: 1, duplicates: [], suppressed: refused.map((e) => e.id) })
  t.equal(await storedEvents(refused.map((e) => e.id)), 0, 'none of the refused events is stored')
  t.equal(await storedEvents([kept.id]), 1)
  await waitFor(async () => publishedIds().has(kept.id), { what: 'the kept event to be published' })
  t.notOk(
    refused.some((e) => publishedIds().has(e.id)),
    'none of the refused events is published',
  )
  const owner = (await sql<{ userId: string }>`select user_id from profiling.identity_links where anonymous_id = 'anon-s1'`.execute(database.root)).rows
  t.same(owner, [{ userId: 'user-s1' }], 'anon-s1 was not merged into user-other')

  const stored = (await sql<{ subjectHash: string }>`select subject_hash from profiling.suppressions order by 1`.execute(database.root)).rows
  t.same(
    stored.map((s) => s.subjectHash),
    [sha256('anon-s1'), sha256('user-s1')].sort(),
    'only hashes are stored',
  )
  t.match((await suppressionOf('anon-s1')).json(), { userId: 'anon-s1', subjects: 2 }, 'the anonymous id answers as suppressed too')
})

t.test('an identity merge naming a suppressed id is a 409 naming the field', async (t) => {
  const r = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'anon-new', userId: 'user-s1' } })
  t.equal(r.statusCode, 409)
  t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(r.json(), { errors: [{ field: '/userId', message: 'is suppressed' }] })
  t.notMatch(r.body, /user-s1/, 'the problem does not name the user')
  const anon = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'anon-s1', userId: 'user-new' } })
  t.match(anon.json(), { errors: [{ field: '/anonymousId' }] })
  t.equal(
    (await sql<{ n: number }>`select count(*)::int as n from profiling.identity_links where anonymous_id = 'anon-new'`.execute(database.root)).rows[0]?.n,
    0,
  )
})

t.test('lifting: events are collected again; what was refused is not recovered', async (t) => {
  const del = await app.inject({ method: 'DELETE', url: '/v1/privacy/suppressions/user-s1', headers: asAdmin })
  t.equal(del.statusCode, 204)
  t.equal((await suppressionOf('user-s1')).statusCode, 404)
  t.equal((await suppressionOf('anon-s1')).statusCode, 404, 'its anonymous ids are lifted with it')
  const back = event({ anonymousId: 'anon-s1' })
  t.same((await collect([back])).json(), { accepted: 1, duplicates: [] })
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/privacy/suppressions/user-s1', headers: asAdmin })).statusCode, 404, 'nothing left to lift')
})

t.test('erasure with suppress=true: the user is erased and stays out', async (t) => {
  t.equal((await collect([event({ userId: 'user-s2', anonymousId: 'anon-s2' })])).statusCode, 202)
  const r = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-s2?suppress=true', headers: asAdmin })
  t.equal(r.statusCode, 202, r.body)
  const requestId = r.json().id
  await waitFor(async () => (await app.inject({ url: `/v1/privacy/requests/${requestId}`, headers: asAdmin })).json().status === 'completed', {
    what: 'the erasure to complete',
  })
  t.match((await suppressionOf('user-s2')).json(), { requestId, subjects: 2 })
  const late = [event({ userId: 'user-s2' }), event({ anonymousId: 'anon-s2' })]
  t.same((await collect(late)).json(), { accepted: 0, duplicates: [], suppressed: late.map((e) => e.id) })
  const about = await sql<{ n: number }>`
    select (select count(*) from profiling.events where user_id = 'user-s2' or anonymous_id = 'anon-s2')
         + (select count(*) from profiling.profiles where user_id in ('user-s2', 'anon-s2'))
         + (select count(*) from profiling.identity_links where user_id = 'user-s2') as n`.execute(database.root)
  t.equal(Number(about.rows[0]?.n), 0, 'nothing about the user came back')

  const plain = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-s3', headers: asAdmin })
  t.equal(plain.statusCode, 202)
  t.equal((await suppressionOf('user-s3')).statusCode, 404, 'an erasure alone suppresses nothing')
})

t.test('ids outside ASCII: the hash of the suppression and of the check agree', async (t) => {
  const id = 'usér-ünïcode-名前'
  t.equal((await app.inject({ method: 'PUT', url: `/v1/privacy/suppressions/${encodeURIComponent(id)}`, headers: asAdmin })).statusCode, 200)
  const e = event({ userId: id })
  t.same((await collect([e])).json(), { accepted: 0, duplicates: [], suppressed: [e.id] })
})

t.test('the suppression reported is the one enforced: its own time and request', async (t) => {
  const put = await app.inject({ method: 'PUT', url: '/v1/privacy/suppressions/user-s7', headers: asAdmin })
  const erasure = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-s7?suppress=true', headers: asAdmin })
  t.equal(erasure.statusCode, 202)
  t.match((await suppressionOf('user-s7')).json(), { suppressedAt: put.json().suppressedAt, requestId: null }, 'the first suppression stays')
})

t.test('an anonymous id merged after the suppression joins it when the user is erased', async (t) => {
  // A link made before the suppression, then the suppression of the user alone (as when it is asked
  // for after profiling's part of the erasure read the links): the erasure adds what it deletes.
  t.equal((await collect([event({ userId: 'user-s8', anonymousId: 'anon-s8' })])).statusCode, 202)
  await sql`insert into profiling.suppressions (subject_hash, user_id_hash, request_id, suppressed_at) values (${sha256('user-s8')}, ${sha256('user-s8')}, null, now())`.execute(
    database.root,
  )
  t.equal((await suppressionOf('anon-s8')).statusCode, 404)
  const r = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-s8', headers: asAdmin })
  const requestId = r.json().id
  await waitFor(async () => (await app.inject({ url: `/v1/privacy/requests/${requestId}`, headers: asAdmin })).json().status === 'completed', {
    what: 'the erasure to complete',
  })
  t.match((await suppressionOf('anon-s8')).json(), { subjects: 2 })
  const late = event({ anonymousId: 'anon-s8' })
  t.same((await collect([late])).json(), { accepted: 0, duplicates: [], suppressed: [late.id] })
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/v1/privacy/suppressions/anon-s8', headers: asAdmin })).statusCode,
    204,
    'an anonymous id is lifted alone',
  )
  t.equal((await suppressionOf('anon-s8')).statusCode, 404)
  t.equal((await suppressionOf('user-s8')).statusCode, 200, 'its user stays suppressed')
})

t.test('export shows the suppression; bad input and scopes', async (t) => {
  await app.inject({ method: 'PUT', url: '/v1/privacy/suppressions/user-s4', headers: asAdmin })
  const exported = await app.inject({ url: '/v1/privacy/users/user-s4/data', headers: asAdmin })
  t.equal(exported.statusCode, 200, exported.body)
  t.match(exported.json().data, { suppression: { subjects: 1, requestId: null } })
  for (const [method, url] of [
    ['PUT', '/v1/privacy/suppressions/has%20space'],
    ['GET', '/v1/privacy/suppressions/has%20space'],
    ['DELETE', '/v1/privacy/suppressions/has%20space'],
  ] as const) {
    const r = await app.inject({ method, url, headers: asAdmin })
    t.equal(r.statusCode, 400, `${method} ${url}`)
    t.match(r.json(), { errors: [{ field: '/userId' }] })
  }
  const bad = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-s5?suppress=maybe', headers: asAdmin })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ field: '/suppress' }] })
  t.equal((await suppressionOf('user-s5')).statusCode, 404, 'nothing was stored for the bad request')
  t.equal((await suppressionOf('user-nobody')).statusCode, 404)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/privacy/suppressions/user-s6', headers: asSite })).statusCode, 403, 'a public key cannot suppress')
  t.equal((await suppressionOf('user-s4', asSite)).statusCode, 403)
})
