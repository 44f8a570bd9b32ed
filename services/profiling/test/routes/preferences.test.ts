import { MemoryBus } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app } = service

type Method = 'GET' | 'PUT' | 'PATCH'
const call = (method: Method, userId: string, payload?: unknown, headers: Record<string, string> = asAdmin) =>
  app.inject({ method, url: `/v1/users/${userId}/preferences`, headers, ...(payload === undefined ? {} : { payload: payload as object }) })

const full = {
  followedTopics: ['climate', 'science'],
  mutedTopics: ['celebrity'],
  mutedAuthors: ['author-9'],
  mutedItems: ['item-3'],
  channels: { email: true, push: true, sms: false, in_app: false, webhook: true },
  quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
  frequencyCaps: { push: { max: 3, per: 'day' }, email: { max: 2, per: 'week' } },
  languages: ['fr', 'en-GB'],
  style: { formality: 'formal', length: 'short', emoji: 'none', readingLevel: 'advanced' },
  nonPersonalized: true,
}

/** Stored rows and published `preferences.updated` messages, once the relay has published everything committed. */
async function counts() {
  await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from profiling.outbox`.execute(database.root)).rows[0]?.n === 0, {
    what: 'outbox to drain',
  })
  const rows = await sql<{ n: number }>`select count(*)::int as n from profiling.preferences`.execute(database.root)
  return { rows: rows.rows[0]?.n, published: published().length }
}
const published = () => bus.messages('attune.profiles').filter((m) => JSON.parse(m.value).type === 'preferences.updated')

t.test('a user who never chose anything gets the defaults with updatedAt null, and nothing is stored', async (t) => {
  const before = await counts()
  const r = await call('GET', 'fresh-user')
  t.equal(r.statusCode, 200)
  t.same(r.json(), {
    userId: 'fresh-user',
    followedTopics: [],
    mutedTopics: [],
    mutedAuthors: [],
    mutedItems: [],
    channels: { email: false, push: false, sms: false, in_app: true, webhook: false },
    quietHours: null,
    frequencyCaps: {},
    languages: [],
    style: { formality: 'neutral', length: 'medium', emoji: 'some', readingLevel: 'standard' },
    nonPersonalized: false,
    updatedAt: null,
  })
  t.same(await counts(), before)
})

t.test('PUT replaces, GET reads it back, and the full document is published keyed by user', async (t) => {
  const r = await call('PUT', 'user-put', full)
  t.equal(r.statusCode, 200)
  const doc = r.json()
  t.match(doc, { ...full, userId: 'user-put' })
  t.ok(Date.parse(doc.updatedAt), 'updatedAt set')
  t.same((await call('GET', 'user-put')).json(), doc)
  await counts()
  const msg = published().find((m) => m.key === 'user-put')
  t.ok(msg, 'published')
  const event = JSON.parse(msg?.value ?? '{}')
  t.equal(event.subject, 'user-put')
  t.equal(event.source, 'profiling')
  t.same(event.data, doc, 'data is the full new document')

  const replaced = await call('PUT', 'user-put', { ...full, followedTopics: [], quietHours: null, frequencyCaps: {} })
  t.equal(replaced.statusCode, 200)
  t.same(replaced.json().followedTopics, [])
  t.equal(replaced.json().quietHours, null)
  t.same(replaced.json().frequencyCaps, {}, 'caps left out are gone: PUT replaces')
})

t.test('PUT normalises: repeats dropped, language tags canonical', async (t) => {
  const r = await call('PUT', 'user-norm', { ...full, mutedAuthors: ['a-1', 'a-1', 'a-2'], languages: ['en-gb', 'FR', 'en-GB'] })
  t.equal(r.statusCode, 200)
  t.same(r.json().mutedAuthors, ['a-1', 'a-2'])
  t.same(r.json().languages, ['en-GB', 'fr'])
})

t.test('PATCH merges into the defaults and then into what is stored: arrays replace, objects merge', async (t) => {
  const first = await call('PATCH', 'user-patch', { mutedAuthors: ['author-1'], channels: { push: true }, style: { emoji: 'lots' } })
  t.equal(first.statusCode, 200)
  t.match(first.json(), {
    mutedAuthors: ['author-1'],
    channels: { email: false, push: true, sms: false, in_app: true, webhook: false },
    style: { formality: 'neutral', length: 'medium', emoji: 'lots', readingLevel: 'standard' },
  })
  const second = await call('PATCH', 'user-patch', {
    mutedAuthors: ['author-2'],
    channels: { email: true },
    quietHours: { start: '23:00', end: '06:30', timeZone: 'America/New_York' },
    frequencyCaps: { push: { max: 5, per: 'day' } },
  })
  t.equal(second.statusCode, 200)
  t.match(second.json(), {
    mutedAuthors: ['author-2'],
    channels: { email: true, push: true },
    style: { emoji: 'lots' },
    quietHours: { start: '23:00', end: '06:30', timeZone: 'America/New_York' },
    frequencyCaps: { push: { max: 5, per: 'day' } },
  })
  const third = await call('PATCH', 'user-patch', {
    quietHours: { timeZone: 'Asia/Tokyo' },
    frequencyCaps: { push: { per: 'week' }, email: { max: 1, per: 'day' } },
  })
  t.equal(third.statusCode, 200)
  t.same(third.json().quietHours, { start: '23:00', end: '06:30', timeZone: 'Asia/Tokyo' })
  t.same(third.json().frequencyCaps, { push: { max: 5, per: 'week' }, email: { max: 1, per: 'day' } })
  const fourth = await call('PATCH', 'user-patch', { quietHours: null, frequencyCaps: { push: null }, nonPersonalized: true })
  t.equal(fourth.statusCode, 200)
  t.equal(fourth.json().quietHours, null)
  t.same(fourth.json().frequencyCaps, { email: { max: 1, per: 'day' } })
  t.equal(fourth.json().nonPersonalized, true)
  t.same((await call('GET', 'user-patch')).json(), fourth.json())
  await counts()
  const docs = published()
    .filter((m) => m.key === 'user-patch')
    .map((m) => JSON.parse(m.value).data)
  t.equal(docs.length, 4, 'each change published once')
  t.same(docs.at(-1), fourth.json())
})

t.test('concurrent PATCHes of a new user both land', async (t) => {
  const [a, b] = await Promise.all([call('PATCH', 'user-race', { mutedItems: ['i-1'] }), call('PATCH', 'user-race', { nonPersonalized: true })])
  t.equal(a.statusCode, 200)
  t.equal(b.statusCode, 200)
  t.match((await call('GET', 'user-race')).json(), { mutedItems: ['i-1'], nonPersonalized: true })
})

type Reply = { statusCode: number; headers: Record<string, unknown>; json: () => { code: string; errors?: { field: string }[] } }
const bad: [string, () => Promise<Reply>, string][] = [
  [
    'PUT: an unknown time zone',
    () => call('PUT', 'user-bad', { ...full, quietHours: { ...full.quietHours, timeZone: 'Mars/Olympus' } }),
    '/quietHours/timeZone',
  ],
  ['PATCH: an unknown time zone', () => call('PATCH', 'user-bad', { quietHours: { timeZone: 'Mars/Olympus' } }), '/quietHours/timeZone'],
  [
    'PUT: a UTC offset as time zone',
    () => call('PUT', 'user-bad', { ...full, quietHours: { ...full.quietHours, timeZone: '+01:00' } }),
    '/quietHours/timeZone',
  ],
  ['PUT: quiet hours at 25:00', () => call('PUT', 'user-bad', { ...full, quietHours: { ...full.quietHours, start: '25:00' } }), '/quietHours/start'],
  ['PATCH: quiet hours at 7:5', () => call('PATCH', 'user-bad', { quietHours: { end: '7:5' } }), '/quietHours/end'],
  ['PUT: quiet hours of no length', () => call('PUT', 'user-bad', { ...full, quietHours: { ...full.quietHours, end: '22:00' } }), '/quietHours/end'],
  [
    'PATCH: incomplete quiet hours with none stored',
    () => call('PATCH', 'user-nothing', { quietHours: { start: '22:00', timeZone: 'Europe/Paris' } }),
    '/quietHours/end',
  ],
  ['PATCH: an incomplete cap with none stored', () => call('PATCH', 'user-nothing', { frequencyCaps: { sms: { max: 2 } } }), '/frequencyCaps/sms/per'],
  ['PUT: an unknown channel opt-in', () => call('PUT', 'user-bad', { ...full, channels: { ...full.channels, fax: true } }), '/channels/fax'],
  ['PATCH: an unknown channel cap', () => call('PATCH', 'user-bad', { frequencyCaps: { fax: { max: 1, per: 'day' } } }), '/frequencyCaps/fax'],
  ['PATCH: a cap per month', () => call('PATCH', 'user-bad', { frequencyCaps: { push: { max: 1, per: 'month' } } }), '/frequencyCaps/push/per'],
  ['PATCH: a cap of 0', () => call('PATCH', 'user-bad', { frequencyCaps: { push: { max: 0, per: 'day' } } }), '/frequencyCaps/push/max'],
  ['PATCH: an unknown formality', () => call('PATCH', 'user-bad', { style: { formality: 'pirate' } }), '/style/formality'],
  ['PATCH: a malformed language tag', () => call('PATCH', 'user-bad', { languages: ['en', 'not a tag'] }), '/languages/1'],
  ['PATCH: a language tag ICU rejects', () => call('PATCH', 'user-bad', { languages: ['en-GB-x'] }), '/languages/0'],
  ['PATCH: a topic both followed and muted', () => call('PATCH', 'user-bad', { followedTopics: ['sport'], mutedTopics: ['sport'] }), '/mutedTopics/0'],
  ['PATCH: an unknown property', () => call('PATCH', 'user-bad', { colour: 'red' }), '/colour'],
  ['PUT: an unknown property', () => call('PUT', 'user-bad', { ...full, colour: 'red' }), '/colour'],
  ['PATCH: a string where a boolean belongs', () => call('PATCH', 'user-bad', { nonPersonalized: 'yes' }), '/nonPersonalized'],
  ['PATCH: a string where an array belongs', () => call('PATCH', 'user-bad', { mutedAuthors: 'author-1' }), '/mutedAuthors'],
  ['PATCH: a number where a boolean belongs', () => call('PATCH', 'user-bad', { channels: { push: 1 } }), '/channels/push'],
  ['PUT: a missing field', () => call('PUT', 'user-bad', { ...full, style: undefined }), '/style'],
  ['PUT: an empty object', () => call('PUT', 'user-bad', {}), '/followedTopics'],
  ['PATCH: an empty object', () => call('PATCH', 'user-bad', {}), '/'],
  ['PATCH: an empty channels object', () => call('PATCH', 'user-bad', { channels: {} }), '/channels'],
  [
    'PATCH: an empty body',
    () => app.inject({ method: 'PATCH', url: '/v1/users/user-bad/preferences', headers: { ...asAdmin, 'content-type': 'application/json' }, payload: '' }),
    '/',
  ],
  ['PUT: no body at all', () => call('PUT', 'user-bad'), '/'],
  ['a user id with whitespace', () => call('PATCH', 'user%20bad', { nonPersonalized: true }), '/userId'],
]

for (const [name, send, field] of bad) {
  t.test(`bad input: ${name} → 400 problem naming ${field}, nothing stored or published`, async (t) => {
    await call('PUT', 'user-bad', full)
    const before = await counts()
    const stored = (await call('GET', 'user-bad')).json()
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
    t.same((await call('GET', 'user-bad')).json(), stored, 'stored document unchanged')
  })
}

t.test('auth: a secret key is needed; a public key gets 403', async (t) => {
  t.equal((await call('GET', 'user-1', undefined, {})).statusCode, 401)
  for (const [method, body] of [
    ['GET', undefined],
    ['PUT', full],
    ['PATCH', { nonPersonalized: true }],
  ] as const) {
    const r = await call(method, 'user-1', body, asSite)
    t.equal(r.statusCode, 403, method)
    t.equal(r.json().code, 'forbidden')
  }
})
