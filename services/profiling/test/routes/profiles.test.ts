import { randomUUID } from 'node:crypto'
import { KafkaBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import pino from 'pino'
import t from 'tap'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const bus = new KafkaBus({ brokers: kafka.brokers.split(','), clientId: 'profiling', log: pino({ level: 'silent' }) })
const service = await startTestService(profiling, { database, bus, env: { KAFKA_TOPIC_PREFIX: prefix } })
const { app } = service
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

type Profile = {
  userId: string
  mergedAnonymousIds: string[]
  attributes: Record<string, unknown>
  traits: {
    counts: Record<string, Record<string, number>>
    firstSeen: string | null
    lastSeen: string | null
    topCategories: { value: string; weight: number }[]
    topAuthors: { value: string; weight: number }[]
    engagementRate30d: number | null
    activeHours: { hourOfWeek: number; label: string }[]
    preferredLanguage: string | null
    sentiment: { average: number; dominantEmotion: string; samples: number } | null
  }
  custom: Record<string, unknown>
}
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString()
const send = (events: Record<string, unknown>[]) =>
  app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events: events.map((e) => ({ id: randomUUID(), ...e })) } })
const profile = async (id: string) => app.inject({ url: `/v1/profiles/${id}`, headers: asAdmin })
const traitsOf = async (id: string): Promise<Profile | undefined> => {
  const r = await profile(id)
  return r.statusCode === 200 ? r.json() : undefined
}

t.test('traits update from the event stream', async (t) => {
  const r = await send([
    { type: 'view', userId: 'ann', itemId: 'a1', time: hoursAgo(2), properties: { category: 'sport', author: 'alice' }, context: { locale: 'fr-FR' } },
    { type: 'view', userId: 'ann', itemId: 'a2', time: hoursAgo(1), properties: { category: 'sport' }, context: { locale: 'fr-FR' } },
    { type: 'like', userId: 'ann', itemId: 'a2', time: hoursAgo(1), properties: { category: 'sport' } },
    { type: 'view', userId: 'ann', itemId: 'a3', time: hoursAgo(24 * 20), properties: { category: 'politics' }, context: { locale: 'en' } },
    { type: 'not_interested', userId: 'ann', itemId: 'a4', properties: { category: 'celebrity' } },
  ])
  t.equal(r.statusCode, 202)
  const p = await waitFor(
    async () => {
      const x = await traitsOf('ann')
      return x && (x.traits.counts['30d']?.view ?? 0) === 3 && (x.traits.counts['7d']?.not_interested ?? 0) === 1 ? x : undefined
    },
    { timeoutMs: 30_000, what: 'traits for ann' },
  )
  t.same(p.traits.counts['7d'], { view: 2, like: 1, not_interested: 1 })
  t.same(p.traits.counts['90d'], { view: 3, like: 1, not_interested: 1 })
  t.equal(p.traits.engagementRate30d, 0.333)
  t.same(
    p.traits.topCategories.map((c) => c.value),
    ['sport', 'politics'],
    'sport first; a negative-only category is not an interest',
  )
  t.same(
    p.traits.topAuthors.map((c) => c.value),
    ['alice'],
  )
  t.equal(p.traits.preferredLanguage, 'fr')
  t.ok(p.traits.firstSeen && Date.parse(p.traits.firstSeen) < Date.now() - 19 * 86_400_000)
  t.equal(p.traits.activeHours.length, 3)
  t.equal(p.traits.sentiment, null)
})

t.test('traits are current when the batch is acknowledged; concurrent replays count once and never fail', async (t) => {
  const events = Array.from({ length: 40 }, (_, i) => ({
    id: randomUUID(),
    type: 'view',
    userId: `racer-${i % 4}`,
    anonymousId: `racer-anon-${i % 4}`,
    itemId: `r${i}`,
    properties: { category: 'tech' },
  }))
  const post = (batch: typeof events) => app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events: batch } })
  // The same events, in different orders, at the same time, each also merging the same identities.
  const replies = await Promise.all([post(events), post([...events].reverse()), post(events.slice(10)), post([...events.slice(0, 20)].reverse())])
  t.same(
    replies.map((r) => r.statusCode),
    [202, 202, 202, 202],
  )
  t.equal(
    replies.reduce((n, r) => n + r.json().accepted, 0),
    40,
    'every event accepted exactly once across the racing requests',
  )
  for (let u = 0; u < 4; u++) {
    const p = await traitsOf(`racer-${u}`)
    t.equal(p?.traits.counts['7d']?.view, 10, `racer-${u} counted once per event, no waiting`)
    t.same(p?.mergedAnonymousIds, [`racer-anon-${u}`])
  }
})

t.test('sentiment from attune.sentiment shows as average and dominant emotion; none for a suppressed user', async (t) => {
  const scored = (userId: string, compound: number, emotion: string) =>
    makeEvent(
      {
        type: 'sentiment.scored',
        source: 'sentiment',
        subject: userId,
        data: { textId: randomUUID(), userId, label: compound > 0 ? 'positive' : 'negative', compound, emotion },
      },
      new Date(),
    )
  t.equal((await app.inject({ method: 'PUT', url: '/v1/privacy/suppressions/cleo', headers: asAdmin })).statusCode, 200)
  const events = [scored('cleo', 0.9, 'joy'), scored('ann', 0.8, 'joy'), scored('ann', 0.4, 'joy'), scored('ann', -0.6, 'anger')]
  // One key: one partition, so cleo's event is consumed before ann's last.
  await bus.publish(events.map((e) => ({ topic: `${prefix}.sentiment`, key: 'ann', value: JSON.stringify(e) })))
  const p = await waitFor(
    async () => {
      const x = await traitsOf('ann')
      return x?.traits.sentiment?.samples === 3 ? x : undefined
    },
    { timeoutMs: 30_000, what: 'sentiment traits' },
  )
  t.same(p.traits.sentiment, { average: 0.2, dominantEmotion: 'joy', samples: 3 })
  const cleo = await sql<{ n: number }>`select count(*)::int as n from profiling.profile_sentiment where user_id = 'cleo'`.execute(database.root)
  t.equal(cleo.rows[0]?.n, 0, "the suppressed user's score was not kept")
})

t.test('merging an anonymous history into a user combines them; lookups follow the merge', async (t) => {
  await send([
    { type: 'view', anonymousId: 'anon-1', itemId: 'b1', properties: { category: 'tech' } },
    { type: 'click', anonymousId: 'anon-1', itemId: 'b1', properties: { category: 'tech' } },
    { type: 'view', userId: 'bob', itemId: 'b2', properties: { category: 'science' } },
  ])
  await waitFor(async () => (await traitsOf('anon-1'))?.traits.counts['7d']?.click === 1 && (await traitsOf('bob'))?.traits.counts['7d']?.view === 1, {
    timeoutMs: 30_000,
    what: 'both histories',
  })
  const merge = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'anon-1', userId: 'bob' } })
  t.equal(merge.statusCode, 200)
  t.same(merge.json(), { anonymousId: 'anon-1', userId: 'bob', status: 'merged', eventsMoved: 2 })
  const bob = (await traitsOf('bob')) as Profile
  t.same(bob.traits.counts['7d'], { view: 2, click: 1 })
  t.same(bob.mergedAnonymousIds, ['anon-1'])
  t.same(bob.traits.topCategories.map((c) => c.value).sort(), ['science', 'tech'])
  t.equal((await traitsOf('anon-1'))?.userId, 'bob', 'the anonymous id now resolves to bob')

  await send([{ type: 'like', anonymousId: 'anon-1', itemId: 'b3', properties: { category: 'tech' } }])
  await waitFor(async () => (await traitsOf('bob'))?.traits.counts['7d']?.like === 1, { timeoutMs: 30_000, what: 'later anonymous events to reach bob' })

  const again = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'anon-1', userId: 'bob' } })
  t.same(again.json().status, 'already-merged')
  const conflict = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'anon-1', userId: 'carol' } })
  t.equal(conflict.statusCode, 409)
  t.equal(conflict.json().errors[0].field, '/anonymousId')
  const log = await app.inject({ url: '/v1/identities/merges?userId=bob', headers: asAdmin })
  t.same(
    log.json().items.map((i: { anonymousId: string; source: string; eventsMoved: number }) => [i.anonymousId, i.source, i.eventsMoved]),
    [['anon-1', 'api', 2]],
  )
})

t.test('an identify event merges too, and the merge is announced once', async (t) => {
  const published: { userId?: string; mergedAnonymousId?: string }[] = []
  const sub = await bus.subscribe({
    groupId: `${prefix}.merges`,
    topics: [`${prefix}.profiles`],
    handleBatch: async (m) => void published.push(...m.map((x) => JSON.parse(x.value).data)),
  })
  t.teardown(() => sub.stop())
  await send([{ type: 'view', anonymousId: 'anon-2', itemId: 'c1' }])
  await waitFor(async () => (await traitsOf('anon-2'))?.traits.counts['7d']?.view === 1, { timeoutMs: 30_000, what: 'anonymous view' })
  await send([{ type: 'identify', anonymousId: 'anon-2', userId: 'dora' }])
  const dora = await waitFor(
    async () => {
      const x = await traitsOf('dora')
      return x?.mergedAnonymousIds.includes('anon-2') && x.traits.counts['7d']?.view === 1 ? x : undefined
    },
    { timeoutMs: 30_000, what: 'identify merge' },
  )
  t.equal(dora.userId, 'dora')
  // The same pair again, then another user claiming the same device: no new merge, no announcement.
  await send([{ type: 'view', anonymousId: 'anon-2', userId: 'dora', itemId: 'c2' }])
  await send([{ type: 'view', anonymousId: 'anon-2', userId: 'erin', itemId: 'c3' }])
  // Announcements are keyed by user: once erin's later merge is seen, an earlier one would have been.
  const sentinel = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'anon-erin', userId: 'erin' } })
  t.equal(sentinel.statusCode, 200)
  await waitFor(() => published.some((d) => d.mergedAnonymousId === 'anon-erin'), { timeoutMs: 30_000, what: 'the announcement of erin’s merge' })
  await waitFor(() => published.some((d) => d.mergedAnonymousId === 'anon-2'), { timeoutMs: 30_000, what: 'the announcement of dora’s merge' })
  t.same(
    published.filter((d) => d.mergedAnonymousId === 'anon-2'),
    [{ userId: 'dora', changed: ['identity'], mergedAnonymousId: 'anon-2' }],
    'the merge made by an event is announced once, to the user profiling chose',
  )
  const bad = await send([{ type: 'identify', userId: 'dora' }])
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().errors[0].field, '/events/0/anonymousId')
})

t.test('attributes are set and removed through PATCH and published by name only', async (t) => {
  const r = await app.inject({
    method: 'PATCH',
    url: '/v1/profiles/ann',
    headers: asAdmin,
    payload: { attributes: { plan: 'premium', email: 'ann@example.com' } },
  })
  t.equal(r.statusCode, 200)
  t.same(r.json().attributes, { plan: 'premium', email: 'ann@example.com' })
  const r2 = await app.inject({ method: 'PATCH', url: '/v1/profiles/ann', headers: asAdmin, payload: { attributes: { email: null } } })
  t.same(r2.json().attributes, { plan: 'premium' })
  t.same((await traitsOf('ann'))?.attributes, { plan: 'premium' })
  const snake = await app.inject({ method: 'PATCH', url: '/v1/profiles/ann', headers: asAdmin, payload: { attributes: { home_city: 'Lyon' } } })
  t.same(snake.json().attributes, { plan: 'premium', home_city: 'Lyon' }, 'attribute names come back exactly as sent')
  t.same((await traitsOf('ann'))?.attributes, { plan: 'premium', home_city: 'Lyon' })
  const published: string[] = []
  const sub = await bus.subscribe({
    groupId: `${prefix}.inspector`,
    topics: [`${prefix}.profiles`],
    handleBatch: async (m) => void published.push(...m.map((x) => x.value)),
  })
  await waitFor(() => published.some((v) => v.includes('attributes.email')), { timeoutMs: 30_000, what: 'profile.updated' })
  t.notOk(
    published.some((v) => v.includes('ann@example.com')),
    'attribute values never travel on the bus',
  )
  await sub.stop()
})

t.test('custom traits: defined by API, computed over a window and a filter', async (t) => {
  const define = (body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/traits', headers: asAdmin, payload: body })
  t.equal(
    (await define({ name: 'sport-views-30d', kind: 'counter', windowDays: 30, eventTypes: ['view'], filter: { 'properties.category': 'sport' } })).statusCode,
    201,
  )
  t.equal((await define({ name: 'avg-dwell', kind: 'average', property: 'seconds', windowDays: 7, eventTypes: ['dwell'] })).statusCode, 201)
  t.equal((await define({ name: 'categories', kind: 'unique_list', property: 'properties.category', windowDays: 90 })).statusCode, 201)
  t.equal((await define({ name: 'last-item', kind: 'last', property: 'itemId', windowDays: 90 })).statusCode, 201)
  t.equal((await define({ name: 'top-category', kind: 'most_frequent', property: 'properties.category', windowDays: 90 })).statusCode, 201)
  await send([
    { type: 'dwell', userId: 'ann', itemId: 'a9', seconds: 30 },
    { type: 'dwell', userId: 'ann', itemId: 'a9', seconds: 90 },
  ])
  const p = await waitFor(
    async () => {
      const x = await traitsOf('ann')
      return x?.custom['avg-dwell'] === 60 ? x : undefined
    },
    { timeoutMs: 30_000, what: 'custom traits' },
  )
  t.equal(p.custom['sport-views-30d'], 2)
  t.same((p.custom.categories as string[]).sort(), ['celebrity', 'politics', 'sport'])
  t.equal(p.custom['last-item'], 'a9')
  t.equal(p.custom['top-category'], 'sport')
  t.equal((await app.inject({ url: '/v1/traits', headers: asAdmin })).json().items.length, 5)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/traits/last-item', headers: asAdmin })).statusCode, 204)
  t.notOk('last-item' in ((await traitsOf('ann'))?.custom ?? {}))
})

t.test('bad input is a problem naming the field', async (t) => {
  const define = (body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/traits', headers: asAdmin, payload: body })
  const unknownKind = await define({ name: 'x', kind: 'median', property: 'seconds', windowDays: 7 })
  t.equal(unknownKind.statusCode, 400)
  t.equal(unknownKind.json().errors[0].field, '/kind')
  const noProperty = await define({ name: 'x', kind: 'sum', windowDays: 7 })
  t.equal(noProperty.statusCode, 400)
  t.equal(noProperty.json().errors[0].field, '/property')
  const dup = await define({ name: 'avg-dwell', kind: 'counter', windowDays: 7 })
  t.equal(dup.statusCode, 409)
  t.equal((await define({ name: 'y', kind: 'counter', windowDays: 0 })).json().errors[0].field, '/windowDays')
  const unknownUser = await profile('nobody-at-all')
  t.equal(unknownUser.statusCode, 404)
  t.equal(unknownUser.json().code, 'not_found')
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/traits/never-defined', headers: asAdmin })).statusCode, 404)
  const badAttr = await app.inject({ method: 'PATCH', url: '/v1/profiles/ann', headers: asAdmin, payload: { attributes: { 'bad key': 1 } } })
  t.equal(badAttr.statusCode, 400)
  t.equal((await app.inject({ method: 'PATCH', url: '/v1/profiles/ann', headers: asAdmin, payload: { attributes: { nested: { a: 1 } } } })).statusCode, 400)
  t.same((await traitsOf('ann'))?.attributes, { plan: 'premium', home_city: 'Lyon' }, 'nothing changed')
  t.equal((await app.inject({ url: '/v1/profiles/ann', headers: asSite })).statusCode, 403, 'profiles need a secret key')
  const merge = await app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId: 'x y', userId: 'bob' } })
  t.equal(merge.json().errors[0].field, '/anonymousId')
})
