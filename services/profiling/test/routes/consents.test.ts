import { MemoryBus } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app } = service

const post = (userId: string, payload: unknown, headers: Record<string, string> = asAdmin) =>
  app.inject({ method: 'POST', url: `/v1/users/${userId}/consents`, headers, payload: payload as object })
const current = (userId: string) => app.inject({ method: 'GET', url: `/v1/users/${userId}/consents`, headers: asAdmin })
const history = (userId: string, query = '') => app.inject({ method: 'GET', url: `/v1/users/${userId}/consents/history${query}`, headers: asAdmin })
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
const HOUR = 3_600_000

const published = () => bus.messages('attune.profiles').filter((m) => JSON.parse(m.value).type === 'consent.changed')
/** Stored records and published `consent.changed` messages, once the relay has published everything committed. */
async function counts() {
  await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from profiling.outbox`.execute(database.root)).rows[0]?.n === 0, {
    what: 'outbox to drain',
  })
  const rows = await sql<{ n: number }>`select count(*)::int as n from profiling.consent_records`.execute(database.root)
  return { rows: rows.rows[0]?.n, published: published().length }
}

const unknown = { state: 'unknown', at: null, expiresAt: null, source: null }

t.test('purposes never set read as unknown', async (t) => {
  const r = await current('user-new')
  t.equal(r.statusCode, 200)
  const body = r.json()
  t.equal(body.userId, 'user-new')
  t.same(body.purposes, { personalization: unknown, ad_personalization: unknown, analytics: unknown, email: unknown, push: unknown })
  t.ok(Date.parse(body.asOf))
})

t.test('several purposes are recorded in one call, read back and published once with the changes', async (t) => {
  const at = ago(60_000)
  const expiresAt = new Date(Date.now() + 365 * 24 * HOUR).toISOString()
  const r = await post('user-1', {
    consents: [
      { purpose: 'personalization', status: 'granted', at, expiresAt, source: 'cookie-banner' },
      { purpose: 'ad_personalization', status: 'denied', source: 'cookie-banner' },
    ],
  })
  t.equal(r.statusCode, 201)
  const state = r.json()
  t.same(state.purposes.personalization, { state: 'granted', at, expiresAt, source: 'cookie-banner' })
  t.equal(state.purposes.ad_personalization.state, 'denied')
  t.ok(Date.parse(state.purposes.ad_personalization.at) <= Date.now(), 'at defaults to now')
  t.same(state.purposes.analytics, unknown)
  t.same((await current('user-1')).json().purposes, state.purposes)

  await counts()
  const mine = published().filter((m) => m.key === 'user-1')
  t.equal(mine.length, 1, 'one event for the call')
  const event = JSON.parse(mine[0]?.value ?? '{}')
  t.equal(event.subject, 'user-1')
  t.equal(event.source, 'profiling')
  t.same(event.data.purposes, state.purposes)
  t.same(
    event.data.changes.map((c: { purpose: string; status: string }) => [c.purpose, c.status]),
    [
      ['personalization', 'granted'],
      ['ad_personalization', 'denied'],
    ],
  )
})

t.test('a grant past its expiresAt reads as expired, not granted', async (t) => {
  const r = await post('user-exp', { consents: [{ purpose: 'analytics', status: 'granted', at: ago(2 * HOUR), expiresAt: ago(HOUR) }] })
  t.equal(r.statusCode, 201)
  t.equal(r.json().purposes.analytics.state, 'expired')
  t.equal((await current('user-exp')).json().purposes.analytics.state, 'expired')
})

t.test('the latest choice by time wins, whatever the order it arrives in; revoking ends a grant', async (t) => {
  await post('user-order', { consents: [{ purpose: 'email', status: 'granted', at: ago(HOUR) }] })
  const older = await post('user-order', { consents: [{ purpose: 'email', status: 'denied', at: ago(2 * HOUR), source: 'import' }] })
  t.equal(older.json().purposes.email.state, 'granted', 'an older choice recorded later does not override')
  const revoked = await post('user-order', { consents: [{ purpose: 'email', status: 'revoked', source: 'settings-page' }] })
  t.same(revoked.json().purposes.email.state, 'revoked')
  t.equal((await history('user-order')).json().items.length, 3, 'every choice is kept')
})

t.test('history is paged newest first with the contracts cursor shape', async (t) => {
  const times = [5, 4, 3, 2, 1].map((h) => ago(h * HOUR))
  for (const [i, at] of times.entries()) {
    const r = await post('user-hist', { consents: [{ purpose: 'push', status: i % 2 ? 'denied' : 'granted', at }] })
    t.equal(r.statusCode, 201)
  }
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const r = await history('user-hist', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    t.equal(r.statusCode, 200)
    const page = r.json()
    t.ok(page.items.length <= 2)
    seen.push(...page.items.map((i: { at: string }) => i.at))
    cursor = page.nextCursor
    pages++
  } while (cursor && pages < 10)
  t.equal(pages, 3)
  t.same(seen, [...times].reverse(), 'newest first, each once')
  const one = (await history('user-hist', '?limit=1')).json().items[0]
  t.same(Object.keys(one).sort(), ['at', 'expiresAt', 'purpose', 'recordedAt', 'source', 'status'])
  const empty = (await history('nobody')).json()
  t.same(empty, { items: [], nextCursor: null })
})

t.test('a cursor not issued by the endpoint is a 400 naming it', async (t) => {
  const r = await history('user-hist', '?cursor=bm9wZQ')
  t.equal(r.statusCode, 400)
  t.equal(r.json().code, 'invalid_cursor')
  t.same(r.json().errors, [{ field: '/cursor', in: 'querystring', message: 'is not a valid cursor' }])
  const big = await history('user-hist', '?limit=101')
  t.equal(big.statusCode, 400)
  t.ok(big.json().errors.some((e: { field: string }) => e.field === '/limit'))
})

type Reply = { statusCode: number; headers: Record<string, unknown>; json: () => { code: string; errors?: { field: string }[] } }
const ok = { purpose: 'personalization', status: 'granted' }
const bad: [string, () => Promise<Reply>, string][] = [
  ['an unknown purpose', () => post('user-bad', { consents: [ok, { purpose: 'telepathy', status: 'granted' }] }), '/consents/1/purpose'],
  ['an unknown status', () => post('user-bad', { consents: [{ ...ok, status: 'maybe' }] }), '/consents/0/status'],
  [
    'expiresAt before at',
    () => post('user-bad', { consents: [ok, { purpose: 'push', status: 'granted', at: ago(HOUR), expiresAt: ago(2 * HOUR) }] }),
    '/consents/1/expiresAt',
  ],
  [
    'expiresAt equal to at',
    () => post('user-bad', { consents: [{ ...ok, at: '2020-01-01T00:00:00Z', expiresAt: '2020-01-01T00:00:00.000Z' }] }),
    '/consents/0/expiresAt',
  ],
  ['a time in the future', () => post('user-bad', { consents: [{ ...ok, at: new Date(Date.now() + HOUR).toISOString() }] }), '/consents/0/at'],
  ['a time that is not a date', () => post('user-bad', { consents: [{ ...ok, at: 'yesterday' }] }), '/consents/0/at'],
  ['the same purpose twice', () => post('user-bad', { consents: [ok, { ...ok, status: 'denied' }] }), '/consents/1/purpose'],
  ['an unknown property', () => post('user-bad', { consents: [{ ...ok, colour: 'red' }] }), '/consents/0/colour'],
  ['an unknown top-level property', () => post('user-bad', { consents: [ok], colour: 'red' }), '/colour'],
  ['a number where the status belongs', () => post('user-bad', { consents: [{ ...ok, status: 1 }] }), '/consents/0/status'],
  ['a number as source', () => post('user-bad', { consents: [{ ...ok, source: 7 }] }), '/consents/0/source'],
  ['an object instead of a list', () => post('user-bad', { consents: ok }), '/consents'],
  ['an empty list', () => post('user-bad', { consents: [] }), '/consents'],
  ['an empty object', () => post('user-bad', {}), '/consents'],
  [
    'an empty body',
    () => app.inject({ method: 'POST', url: '/v1/users/user-bad/consents', headers: { ...asAdmin, 'content-type': 'application/json' }, payload: '' }),
    '/',
  ],
]

for (const [name, send, field] of bad) {
  t.test(`bad input: ${name} → 400 problem naming ${field}, nothing recorded or published`, async (t) => {
    const before = await counts()
    const r = await send()
    t.equal(r.statusCode, 400)
    t.match(String(r.headers['content-type']), /^application\/problem\+json/)
    const body = r.json()
    t.ok(['validation_failed', 'invalid_json'].includes(body.code), body.code)
    t.ok(
      body.errors?.some((e) => e.field === field),
      `names ${field}: ${JSON.stringify(body.errors)}`,
    )
    t.same(await counts(), before)
    t.same((await current('user-bad')).json().purposes.personalization, unknown)
  })
}

t.test('auth: a secret key is needed; a public key gets 403', async (t) => {
  t.equal((await post('user-1', { consents: [ok] }, {})).statusCode, 401)
  t.equal((await post('user-1', { consents: [ok] }, asSite)).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/users/user-1/consents', headers: asSite })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/users/user-1/consents/history', headers: asSite })).statusCode, 403)
})
