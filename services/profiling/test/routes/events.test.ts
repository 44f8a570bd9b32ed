import { randomUUID } from 'node:crypto'
import { MemoryBus } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app } = service

const view = (over: Record<string, unknown> = {}) => ({ id: randomUUID(), type: 'view', userId: 'user-1', itemId: 'item-1', ...over })
const post = (payload: unknown, headers: Record<string, string> = asSite) =>
  app.inject({ method: 'POST', url: '/v1/events', headers, payload: payload as object })

/** Stored events and published messages, once the relay has published everything committed. */
async function counts() {
  await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from profiling.outbox`.execute(database.root)).rows[0]?.n === 0, {
    what: 'outbox to drain',
  })
  const events = await sql<{ n: number }>`select count(*)::int as n from profiling.events`.execute(database.root)
  return { events: events.rows[0]?.n, published: bus.messages('attune.interactions').length }
}

t.test('a batch is stored and published once; a replay stores nothing and names the duplicates', async (t) => {
  const batch = [view(), view({ type: 'dwell', seconds: 12 }), view({ type: 'comment', text: 'great piece', userId: undefined, anonymousId: 'anon-9' })]
  const first = await post({ events: batch })
  t.equal(first.statusCode, 202)
  t.same(first.json(), { accepted: 3, duplicates: [] })
  const before = await counts()
  const replay = await post({ events: batch })
  t.equal(replay.statusCode, 202)
  t.same(replay.json().accepted, 0)
  t.same([...replay.json().duplicates].sort(), batch.map((e) => e.id).sort())
  t.same(await counts(), before, 'nothing stored or published twice')
  const msg = bus.messages('attune.interactions').find((m) => JSON.parse(m.value).data.interaction.id === batch[2]?.id)
  t.equal(msg?.key, 'anon-9', 'Kafka key is the subject (anonymous id when no user id)')
})

t.test('an id repeated inside one batch is stored once and reported', async (t) => {
  const e = view()
  const r = await post({ events: [e, { ...e, id: e.id.toUpperCase() }] })
  t.equal(r.statusCode, 202)
  t.same(r.json(), { accepted: 1, duplicates: [e.id.toUpperCase()] })
})

t.test('a partly replayed batch stores only the new events', async (t) => {
  const old = view()
  await post({ events: [old] })
  const fresh = view()
  const r = await post({ events: [old, fresh] })
  t.same(r.json(), { accepted: 1, duplicates: [old.id] })
})

const bad: [
  string,
  () => Promise<{ statusCode: number; headers: Record<string, unknown>; json: () => { code: string; errors?: { field: string }[] } }>,
  number,
  string,
  string | undefined,
][] = [
  ['a number where a string belongs', () => post({ events: [view({ userId: 42 })] }), 400, 'validation_failed', '/events/0/userId'],
  ['a string where a number belongs', () => post({ events: [view({ type: 'dwell', seconds: '30' })] }), 400, 'validation_failed', '/events/0/seconds'],
  ['an unknown event type', () => post({ events: [view(), view({ type: 'teleport' })] }), 400, 'validation_failed', '/events/1/type'],
  // ajv's discriminator let anything but an object through; the collector then failed on it.
  ['an event that is null', () => post({ events: [view(), null] }), 400, 'validation_failed', '/events/1'],
  ['an event that is a string', () => post({ events: ['view'] }), 400, 'validation_failed', '/events/0'],
  ['a missing event id', () => post({ events: [view({ id: undefined })] }), 400, 'validation_failed', '/events/0/id'],
  ['an id that is not a UUID', () => post({ events: [view({ id: 'abc' })] }), 400, 'validation_failed', '/events/0/id'],
  ['a leap second (no JavaScript Date has one)', () => post({ events: [view({ time: '2016-12-31T23:59:60Z' })] }), 400, 'validation_failed', '/events/0/time'],
  ['year 0000 (Postgres has none)', () => post({ events: [view({ time: '0000-06-01T00:00:00Z' })] }), 400, 'validation_failed', '/events/0/time'],
  [
    'a UUID as a URN (Postgres reads only the bare form)',
    () => post({ events: [view(), view({ id: `urn:uuid:${randomUUID()}` })] }),
    400,
    'validation_failed',
    '/events/1/id',
  ],
  ['neither user nor anonymous id', () => post({ events: [view({ userId: undefined })] }), 400, 'validation_failed', '/events/0/userId'],
  ['a view without its item', () => post({ events: [view({ itemId: undefined })] }), 400, 'validation_failed', '/events/0/itemId'],
  ['an unknown property', () => post({ events: [view({ colour: 'red' })] }), 400, 'validation_failed', '/events/0/colour'],
  [
    'a time in the future',
    () => post({ events: [view({ time: new Date(Date.now() + 3_600_000).toISOString() })] }),
    400,
    'validation_failed',
    '/events/0/time',
  ],
  ['501 events', () => post({ events: Array.from({ length: 501 }, () => view()) }), 400, 'validation_failed', '/events'],
  ['an empty batch', () => post({ events: [] }), 400, 'validation_failed', '/events'],
  ['no events property', () => post({}), 400, 'validation_failed', '/events'],
  [
    'a 2 MB body',
    () => post({ events: [view({ properties: { blob: 'x'.repeat(1000) } })], pad: 'y'.repeat(2 * 1024 * 1024) }),
    413,
    'payload_too_large',
    undefined,
  ],
  [
    'invalid JSON',
    () => app.inject({ method: 'POST', url: '/v1/events', headers: { ...asSite, 'content-type': 'application/json' }, payload: '{"events": [' }),
    400,
    'invalid_json',
    '/',
  ],
  [
    'a body that is not JSON',
    () => app.inject({ method: 'POST', url: '/v1/events', headers: { ...asSite, 'content-type': 'text/plain' }, payload: 'hello' }),
    415,
    'unsupported_media_type',
    undefined,
  ],
]

for (const [name, send, status, code, field] of bad) {
  t.test(`bad input: ${name} → ${status} problem, nothing stored`, async (t) => {
    const before = await counts()
    const r = await send()
    t.equal(r.statusCode, status)
    t.match(String(r.headers['content-type']), /^application\/problem\+json/)
    const body = r.json()
    t.equal(body.code, code)
    if (field)
      t.ok(
        body.errors?.some((e) => e.field === field),
        `names ${field}: ${JSON.stringify(body.errors)}`,
      )
    t.same(await counts(), before)
  })
}

t.test('auth: no key is 401, an unknown key is 401, public and secret keys may send events', async (t) => {
  const none = await post({ events: [view()] }, {})
  t.equal(none.statusCode, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer')
  t.equal((await post({ events: [view()] }, { authorization: 'Bearer atn_sk_wrong' })).statusCode, 401)
  t.equal((await post({ events: [view()] }, asAdmin)).statusCode, 202)
  t.equal((await post({ events: [view()] }, { 'x-api-key': 'atn_pk_test_public_key' })).statusCode, 202)
})

t.test('requests collected together: an id sent by several is stored once, for one of them', async (t) => {
  const before = await counts()
  const shared = view({ userId: 'user-together' })
  const bodies = [0, 1, 2, 3].map(() => ({ events: [shared, view({ userId: 'user-together' }), view({ userId: 'user-together' })] }))
  const replies = await Promise.all(bodies.map((b) => post(b)))
  t.same(
    replies.map((r) => r.statusCode),
    [202, 202, 202, 202],
  )
  const outcomes = replies.map((r) => r.json() as { accepted: number; duplicates: string[] })
  t.equal(
    outcomes.reduce((n, o) => n + o.accepted, 0),
    9,
    'every unique event accepted once',
  )
  t.equal(outcomes.filter((o) => o.duplicates.includes(shared.id)).length, 3, 'the shared id is a duplicate for all but one request')
  const after = await counts()
  t.same(after, { events: (before.events ?? 0) + 9, published: before.published + 9 })
  const profile = await app.inject({ method: 'GET', url: '/v1/profiles/user-together', headers: asAdmin })
  t.equal(profile.json().traits.counts['7d'].view, 9, 'each stored event counted once in traits')
})

t.test('text Postgres cannot store (a NUL character) is refused by name; requests collected with it are stored', async (t) => {
  const good = view({ userId: 'user-beside-nul' })
  const [bad, fine] = await Promise.all([post({ events: [view({ type: 'comment', text: 'a\u0000b' })] }), post({ events: [good] })])
  t.equal(bad.statusCode, 400)
  t.match(bad.headers['content-type'], /application\/problem\+json/)
  t.match(bad.body, /events\/0\/text/)
  t.equal(fine.statusCode, 202)
  t.same(fine.json(), { accepted: 1, duplicates: [] })
})
