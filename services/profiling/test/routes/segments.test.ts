import { randomUUID } from 'node:crypto'
import { KafkaBus, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import pino from 'pino'
import t from 'tap'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const bus = new KafkaBus({ brokers: kafka.brokers.split(','), clientId: 'profiling', log: pino({ level: 'silent' }) })
const service = await startTestService(profiling, { database, bus, env: { KAFKA_TOPIC_PREFIX: prefix } })
const { app } = service
const published: { type: string; data: { segmentId: string; userId: string; change: string } }[] = []
const inspector = await bus.subscribe({
  groupId: `${prefix}.inspector`,
  topics: [`${prefix}.profiles`],
  handleBatch: async (m) => void published.push(...m.map((x) => JSON.parse(x.value))),
})
t.teardown(async () => {
  await inspector.stop()
  await service.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

type Segment = { id: string; kind: string; name: string; description: string | null; members: number }
const send = (events: Record<string, unknown>[]) =>
  app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events: events.map((e) => ({ id: randomUUID(), ...e })) } })
const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: asAdmin, payload: payload as object })
const members = async (id: string): Promise<string[]> =>
  (await app.inject({ url: `/v1/segments/${id}/members?limit=100`, headers: asAdmin })).json().items.map((i: { userId: string }) => i.userId)

t.test('a rule segment gains a member as events arrive and loses it when the rule stops holding', async (t) => {
  const created = await post('/v1/segments', {
    name: 'sport fans',
    rule: {
      all: [
        { trait: 'topCategories', op: 'contains', value: 'sport' },
        { event: 'view', withinDays: 7, op: 'gte', value: 2 },
      ],
    },
  })
  t.equal(created.statusCode, 201)
  const segment: Segment = created.json()
  t.match(segment, { kind: 'rule', name: 'sport fans', members: 0 })

  await send([
    { type: 'view', anonymousId: 'anon-eve', itemId: 's1', properties: { category: 'sport' } },
    { type: 'identify', anonymousId: 'anon-eve', userId: 'eve' },
  ])
  await send([{ type: 'view', userId: 'eve', itemId: 's2', properties: { category: 'sport' } }])
  await waitFor(async () => (await members(segment.id)).includes('eve'), { timeoutMs: 30_000, what: 'eve to join' })
  const mine = await app.inject({ url: '/v1/profiles/anon-eve/segments', headers: asAdmin })
  t.equal(mine.statusCode, 200, 'follows the merge')
  t.match(mine.json(), { userId: 'eve', items: [{ id: segment.id, kind: 'rule', name: 'sport fans' }] })

  await send([{ type: 'not_interested', userId: 'eve', itemId: 's3', properties: { category: 'sport' } }])
  await waitFor(async () => !(await members(segment.id)).includes('eve'), { timeoutMs: 30_000, what: 'eve to leave' })
  const changes = await waitFor(
    () => {
      const mineChanges = published.filter((e) => e.type === 'segment.membership-changed' && e.data.segmentId === segment.id)
      return mineChanges.length >= 2 ? mineChanges : undefined
    },
    { timeoutMs: 30_000, what: 'membership changes on profiles' },
  )
  t.same(
    changes.map((e) => [e.data.userId, e.data.change]),
    [
      ['eve', 'joined'],
      ['eve', 'left'],
    ],
  )
  t.same((await app.inject({ url: '/v1/profiles/eve/segments', headers: asAdmin })).json().items, [])
})

t.test('a new segment is evaluated over existing profiles; members come in pages by user id', async (t) => {
  for (const u of ['p3', 'p1', 'p5', 'p2', 'p4', 'q1']) {
    const r = await app.inject({
      method: 'PATCH',
      url: `/v1/profiles/${u}`,
      headers: asAdmin,
      payload: { attributes: { plan: u.startsWith('p') ? 'pro' : 'free' } },
    })
    t.equal(r.statusCode, 200)
  }
  const r = await post('/v1/segments', { name: 'pro plan', description: 'Paying users', rule: { attribute: 'plan', op: 'in', value: ['pro', 'team'] } })
  t.equal(r.statusCode, 201)
  const segment: Segment = r.json()
  t.equal(segment.members, 5)
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page = await app.inject({ url: `/v1/segments/${segment.id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: asAdmin })
    t.equal(page.statusCode, 200)
    const body: { items: { userId: string }[]; nextCursor: string | null } = page.json()
    seen.push(...body.items.map((i) => i.userId))
    cursor = body.nextCursor
    pages++
  } while (cursor)
  t.same(seen, ['p1', 'p2', 'p3', 'p4', 'p5'])
  t.equal(pages, 3)
  const one = await app.inject({ url: `/v1/segments/${segment.id}`, headers: asAdmin })
  t.match(one.json(), { id: segment.id, description: 'Paying users', members: 5, rule: { attribute: 'plan', op: 'in', value: ['pro', 'team'] } })
  const list = await app.inject({ url: '/v1/segments', headers: asAdmin })
  t.ok(list.json().items.some((s: Segment) => s.id === segment.id && s.members === 5))
  t.match((await app.inject({ url: '/v1/profiles/p1/segments', headers: asAdmin })).json().items, [{ name: 'pro plan' }])

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/segments/${segment.id}`, headers: asAdmin })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/segments/${segment.id}`, headers: asAdmin })).statusCode, 404)
  t.same((await app.inject({ url: '/v1/profiles/p1/segments', headers: asAdmin })).json().items, [])
})

t.test('learned segments: two interest groups, two clusters, deterministic for a seed', async (t) => {
  const users = Array.from({ length: 10 }, (_, i) => ({ id: `l${i}`, topic: i < 6 ? 'football' : 'elections', side: i < 6 ? 'tennis' : 'taxes' }))
  await send(
    users.flatMap((u) => [
      { type: 'view', userId: u.id, itemId: `${u.topic}-1`, properties: { topics: u.topic } },
      { type: 'like', userId: u.id, itemId: `${u.topic}-2`, properties: { topics: `${u.topic}, ${u.side}` } },
    ]),
  )
  const learn = () => post('/v1/segments/learned', { features: ['topic'], seed: 7 })
  const first = await waitFor(
    async () => {
      const r = await learn()
      return r.statusCode === 201 && r.json().users === 10 ? r.json() : undefined
    },
    { timeoutMs: 30_000, what: 'topic affinities of 10 users' },
  )
  t.equal(first.k, 2, 'k chosen by silhouette')
  const [big, small] = first.items as Segment[]
  t.match(big, { kind: 'learned', members: 6, description: /^football 0\.\d\d, tennis 0\.\d\d$/ })
  t.match(small, { kind: 'learned', members: 4, description: /^elections 0\.\d\d, taxes 0\.\d\d$/ })
  t.same(await members((big as Segment).id), ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'])
  t.same(await members((small as Segment).id), ['l6', 'l7', 'l8', 'l9'])

  const again = (await learn()).json()
  t.same(
    again.items.map((s: Segment) => [s.name, s.description, s.members]),
    first.items.map((s: Segment) => [s.name, s.description, s.members]),
    'same data and seed, same clusters',
  )
  const learned = (await app.inject({ url: '/v1/segments', headers: asAdmin })).json().items.filter((s: Segment) => s.kind === 'learned')
  t.equal(learned.length, 2, 'the previous learned segments were replaced')
  const fixed = await post('/v1/segments/learned', { features: ['topic'], k: 3, seed: 7 })
  t.equal(fixed.json().k, 3)
  await waitFor(() => published.some((e) => e.type === 'segment.membership-changed' && e.data.segmentId === (big as Segment).id && e.data.change === 'left'), {
    timeoutMs: 30_000,
    what: 'learned membership changes',
  })
})

t.test('bad input is a 4xx naming the field', async (t) => {
  const cases: [unknown, string][] = [
    [{ name: 'x', rule: { attribute: 'plan', op: 'like', value: 'p' } }, '/rule/op'],
    [{ name: 'x', rule: { trait: 'preferredLanguage', op: 'contains', value: 'fr' } }, '/rule/op'],
    [{ name: 'x', rule: { not: { not: { not: { not: { not: { attribute: 'a', op: 'exists' } } } } } } }, '/rule/not/not/not/not/not'],
    [{ name: 'x', rule: { all: [{ attribute: 'plan', op: 'in', value: 'pro' }] } }, '/rule/all/0/value'],
    [{ name: 'x', rule: { trait: 'favouriteColour', op: 'eq', value: 'red' } }, '/rule/trait'],
    [{ name: 'x', rule: {} }, '/rule'],
  ]
  for (const [payload, field] of cases) {
    const r = await post('/v1/segments', payload)
    t.equal(r.statusCode, 400, JSON.stringify(payload))
    t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(r.json().errors[0].field, field)
  }
  const k1 = await post('/v1/segments/learned', { k: 1 })
  t.equal(k1.statusCode, 400)
  t.equal(k1.json().errors[0].field, '/k')
  const tooMany = await post('/v1/segments/learned', { features: ['author'], k: 20 })
  t.equal(tooMany.statusCode, 422)
  t.equal(tooMany.json().errors[0].field, '/k')
  const unknown = randomUUID()
  for (const url of [`/v1/segments/${unknown}`, `/v1/segments/${unknown}/members`]) t.equal((await app.inject({ url, headers: asAdmin })).statusCode, 404, url)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/segments/${unknown}`, headers: asAdmin })).statusCode, 404)
  t.equal((await app.inject({ url: '/v1/segments/not-a-uuid', headers: asAdmin })).json().errors[0].field, '/id')
  t.equal((await app.inject({ url: '/v1/profiles/nobody/segments', headers: asAdmin })).statusCode, 404)
  t.equal((await app.inject({ url: '/v1/segments', headers: asSite })).statusCode, 403, 'segments need the secret key')
})
