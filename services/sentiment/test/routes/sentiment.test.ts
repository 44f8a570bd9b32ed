// POST /v1/sentiment and /v1/sentiment/reply-guidance on real Postgres: results, batches and bad input.
import { asAdmin, asSite, startTestServiceOnNewDatabase } from '@attune/kit/testing'
import t from 'tap'
import { sentiment } from '../../src/app.ts'

const { service } = await startTestServiceOnNewDatabase(t, sentiment)
const { app } = service

const post = (payload: unknown, headers: Record<string, string> = asAdmin) =>
  app.inject({ method: 'POST', url: '/v1/sentiment', headers, payload: payload as object })

t.test('one text: polarity, emotion and cues', async (t) => {
  const r = await post({ text: "Still NOT fixed after 3 weeks. I can't believe this 😡" })
  t.equal(r.statusCode, 200)
  const [a] = r.json().results
  t.match(a, {
    language: 'eng',
    english: true,
    polarity: { label: 'negative' },
    emotion: { label: 'anger' },
    cues: { negation: true, shouting: true, emoji: 1 },
  })
  t.ok(a.polarity.compound < 0 && a.polarity.compound >= -1)
})

t.test('a batch of 1,000 in order; other languages flagged', async (t) => {
  const texts = Array.from({ length: 1000 }, (_, i) => (i % 2 ? 'love it!!! 😍' : 'Je suis vraiment déçu par ce produit'))
  const r = await post({ texts })
  t.equal(r.statusCode, 200)
  const results = r.json().results
  t.equal(results.length, 1000)
  t.match(results[0], { english: false, language: 'fra', polarity: null, emotion: null })
  t.match(results[1], { english: true, polarity: { label: 'positive' }, emotion: { label: 'joy' } })
})

t.test('bad input is a 4xx problem naming the field', async (t) => {
  const cases: [unknown, number, string | undefined][] = [
    [{ text: '' }, 400, '/text'],
    [{ text: '   ' }, 400, '/text'],
    [{ texts: [] }, 400, '/texts'],
    [{ texts: Array.from({ length: 1001 }, () => 'ok') }, 400, '/texts'],
    [{ texts: ['fine', 42] }, 400, '/texts/1'],
    [{ text: 42 }, 400, '/text'],
    [{}, 400, '/text'],
    [{ text: 'a', texts: ['b'] }, 400, '/texts'],
    [{ text: 'a', extra: true }, 400, '/extra'],
    [{ texts: 'not a list' }, 400, '/texts'],
    [[], 400, undefined],
    [{ text: 'x'.repeat(10_001) }, 400, '/text'],
  ]
  for (const [payload, status, field] of cases) {
    const r = await post(payload)
    t.equal(r.statusCode, status, JSON.stringify(payload).slice(0, 60))
    t.match(r.headers['content-type'], /application\/problem\+json/)
    if (field)
      t.ok(
        r.json().errors.some((e: { field: string }) => e.field.startsWith(field)),
        `names ${field}`,
      )
  }
  const huge = await post({ text: 'x'.repeat(1024 * 1024) })
  t.equal(huge.statusCode, 413, 'a 1 MB text is over the body limit')
  t.match(huge.json(), { code: 'payload_too_large' })
  const notJson = await app.inject({ method: 'POST', url: '/v1/sentiment', headers: { ...asAdmin, 'content-type': 'application/json' }, payload: '{"text":' })
  t.equal(notJson.statusCode, 400)
  t.equal((await post({ text: 'hi' }, {})).statusCode, 401)
  t.equal((await post({ text: 'hi' }, asSite)).statusCode, 403, 'a browser key cannot use the analyzer')
})

t.test('reply guidance: emotion, tone and a template reply, marked as such', async (t) => {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/sentiment/reply-guidance',
    headers: asAdmin,
    payload: { text: 'My order is STILL not here after two weeks. Ridiculous!', userId: 'nobody-yet' },
  })
  t.equal(r.statusCode, 200)
  t.match(r.json(), {
    emotion: 'anger',
    polarity: 'negative',
    tone: 'apologetic',
    source: 'templates',
    escalate: true,
    userMood: { total: 0, averageCompound: null },
  })
  t.ok(r.json().reply.length > 20)
  const sad = await app.inject({
    method: 'POST',
    url: '/v1/sentiment/reply-guidance',
    headers: asAdmin,
    payload: { text: 'I miss my dog so much, he passed away yesterday 😢' },
  })
  t.match(sad.json(), { emotion: 'sadness', tone: 'empathetic', userMood: null })
  for (const [payload, field] of [
    [{ text: 'x', userId: 'has space' }, '/userId'],
    [{}, '/text'],
    [{ text: 42 }, '/text'],
    [{ text: 'x'.repeat(10_001) }, '/text'],
  ] as const) {
    const bad = await app.inject({ method: 'POST', url: '/v1/sentiment/reply-guidance', headers: asAdmin, payload })
    t.equal(bad.statusCode, 400, JSON.stringify(payload).slice(0, 60))
    t.ok(
      bad.json().errors.some((e: { field: string }) => e.field === field),
      `names ${field}`,
    )
  }
})

t.test('aggregates and alerts: bad query strings name the parameter', async (t) => {
  for (const [url, field] of [
    ['/v1/sentiment/items/x?window=2h', '/window'],
    ['/v1/sentiment/items/x?since=1', '/since'],
    ['/v1/sentiment/alerts?limit=0', '/limit'],
    ['/v1/sentiment/alerts?dimension=user', '/dimension'],
  ] as const) {
    const r = await app.inject({ url, headers: asAdmin })
    t.equal(r.statusCode, 400, url)
    t.match(r.headers['content-type'], /application\/problem\+json/)
    t.ok(
      r.json().errors.some((e: { field: string }) => e.field === field),
      `${url} names ${field}`,
    )
  }
  t.match((await app.inject({ url: '/v1/sentiment/items/nothing-here', headers: asAdmin })).json(), { total: 0, averageCompound: null, window: '24h' })
})
