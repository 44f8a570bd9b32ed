// Recommendations, feed and similar items end to end on real Postgres and Kafka: the catalog
// through the API, interactions and preferences through attune.interactions / attune.profiles,
// the model trained in its worker thread, then the slates.
import { randomUUID } from 'node:crypto'
import type { Interaction } from '@attune/contracts'
import { KafkaBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import pino from 'pino'
import t from 'tap'
import { feedbackFor } from '../../src/store/feedback-store.ts'
import { userHistory } from '../../src/store/interactions-store.ts'
import { userPreferences } from '../../src/store/preferences-store.ts'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const service = await startTestService(recommendation, {
  database,
  bus: new KafkaBus({ brokers: kafka.brokers.split(','), clientId: 'recommendation', log }),
  env: { KAFKA_TOPIC_PREFIX: prefix },
})
const producer = new KafkaBus({ brokers: kafka.brokers.split(','), clientId: 'profiling', log })
const { app } = service
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await producer.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

const categories = ['sport', 'tech', 'culture'] as const
const now = Date.now()
// 60 items: 20 per category, two authors per category.
const items = Array.from({ length: 60 }, (_, i) => {
  const category = categories[i % 3] as string
  return {
    itemId: `i${i}`,
    type: i % 10 === 0 ? 'video' : 'article',
    title: `${category} story ${i}`,
    text: `A ${category} story about ${category} things, number ${i}`,
    categories: [category],
    author: `${category}-writer-${i % 2}`,
    language: 'en',
    publishedAt: new Date(now - (i + 1) * 3_600_000).toISOString(),
  }
})

async function publish(topic: string, type: string, subject: string, data: unknown) {
  const event = makeEvent({ type, source: 'profiling', subject, data }, new Date())
  await producer.publish([{ topic: `${prefix}.${topic}`, key: subject, value: JSON.stringify(event) }])
}
const interact = (userId: string, fields: { type: Interaction['type'] } & Record<string, unknown>) =>
  publish('interactions', 'interaction.recorded', userId, {
    interaction: { id: randomUUID(), userId, time: new Date().toISOString(), ...fields },
    receivedAt: new Date().toISOString(),
  })
const historySize = async (userId: string) => (await userHistory(db, userId)).length

type Slate = {
  recommendationId: string
  personalized: boolean
  nextCursor: string | null
  items: {
    itemId: string
    rank: number
    reasons: { kind: string; text: string; itemIds?: string[] }[]
    item: { categories: string[]; author: string | null; type: string }
  }[]
}
const get = async (url: string, headers = asSite) => app.inject({ url, headers })
// With the items' catalog fields, which these tests look at.
const withItems = (url: string) => `${url}${url.includes('?') ? '&' : '?'}include=item`
const slate = async (url: string): Promise<Slate> => {
  const r = await get(withItems(url))
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
  return r.json()
}
const train = async () => {
  const r = await app.inject({ method: 'POST', url: '/v1/models/train', headers: asAdmin })
  if (r.statusCode !== 200) throw new Error(`train: ${r.statusCode} ${r.body}`)
  return r.json()
}

t.before(async () => {
  const r = await app.inject({ method: 'POST', url: '/v1/items/batch', headers: asAdmin, payload: { items } })
  if (r.statusCode !== 200) throw new Error(`catalog: ${r.statusCode} ${r.body}`)
  // 30 readers, 10 per category, each reading 8 items of their category (and one stray click).
  for (let u = 0; u < 30; u++) {
    const c = u % 3
    for (let k = 0; k < 8; k++) await interact(`reader-${u}`, { type: 'view', itemId: `i${c + 3 * ((u + k) % 20)}` })
    await interact(`reader-${u}`, { type: 'click', itemId: `i${(c + 1) % 3}` })
  }
  // Every reader: their events are keyed by user, so they come through different partitions and
  // the last reader's being applied says nothing of the others'.
  await waitFor(
    async () => {
      for (let u = 0; u < 30; u++) if ((await historySize(`reader-${u}`)) !== 9) return false
      return true
    },
    { timeoutMs: 60_000, what: 'readers applied' },
  )
  const status = await train()
  if (status.state !== 'ready') throw new Error(`model not ready: ${JSON.stringify(status)}`)
})

t.test('a reader gets their category, unseen items, each explained, with a recommendation id', async (t) => {
  const s = await slate('/v1/users/reader-1/recommendations?count=6&diversity=0&explore=0')
  t.equal(s.items.length, 6)
  t.ok(s.personalized)
  t.match(s.recommendationId, /^[0-9a-f-]{36}$/)
  const seen = new Set((await userHistory(db, 'reader-1')).map((h) => h.itemId))
  t.notOk(
    s.items.some((i) => seen.has(i.itemId)),
    'nothing already seen',
  )
  const tech = s.items.filter((i) => i.item.categories.includes('tech')).length
  t.ok(tech >= 4, `mostly tech for a tech reader (${tech} of 6)`)
  t.ok(
    s.items.every((i) => i.reasons.length > 0 && i.reasons[0]?.text),
    'every item says why',
  )
  t.same(
    s.items.map((i) => i.rank),
    [1, 2, 3, 4, 5, 6],
  )
})

t.test('catalog fields only with include=item; the same page either way', async (t) => {
  const url = '/v1/users/reader-2/recommendations?count=5&diversity=0&explore=0'
  const lean = (await get(url)).json() as Slate
  t.ok(lean.items.length === 5 && lean.items.every((i) => !('item' in i)), 'ids, ranks, scores and reasons by default')
  const full = await slate(url)
  t.same(
    full.items.map((i) => i.itemId),
    lean.items.map((i) => i.itemId),
  )
  t.ok(full.items.every((i) => i.item.categories.length > 0))
  t.equal((await get(url)).headers['content-type'], 'application/json; charset=utf-8')
})

t.test('a new interaction changes the next recommendations at once, without retraining', async (t) => {
  const before = await slate('/v1/users/newcomer/recommendations?count=5&diversity=0&explore=0')
  t.notOk(before.personalized === false)
  await interact('newcomer', { type: 'like', itemId: 'i2' })
  await interact('newcomer', { type: 'like', itemId: 'i5' })
  await waitFor(async () => (await historySize('newcomer')) === 2, { timeoutMs: 30_000, what: 'newcomer applied' })
  const after = await slate('/v1/users/newcomer/recommendations?count=5&diversity=0&explore=0')
  t.notSame(
    after.items.map((i) => i.itemId),
    before.items.map((i) => i.itemId),
    'the slate changed',
  )
  t.notOk(
    after.items.some((i) => i.itemId === 'i2' || i.itemId === 'i5'),
    'liked items dropped out',
  )
  t.ok(after.items.filter((i) => i.item.categories.includes('culture')).length >= 3, 'culture after liking culture')
  t.ok(
    after.items.some((i) => i.reasons.some((r) => r.kind === 'because-you-engaged' || r.kind === 'similar-users')),
    'explained by the new history',
  )
})

t.test('filters hold: categories, types, authors, max age, exclude', async (t) => {
  const byCategory = await slate('/v1/users/reader-1/recommendations?count=10&categories=culture,sport')
  t.ok(byCategory.items.length > 0)
  t.ok(byCategory.items.every((i) => i.item.categories.some((c) => c === 'culture' || c === 'sport')))
  const videos = await slate('/v1/users/reader-1/recommendations?count=10&types=video')
  t.ok(videos.items.length > 0 && videos.items.every((i) => i.item.type === 'video'))
  const byAuthor = await slate('/v1/users/reader-1/recommendations?count=10&authors=tech-writer-0')
  t.ok(byAuthor.items.length > 0 && byAuthor.items.every((i) => i.item.author === 'tech-writer-0'))
  const recent = await slate('/v1/users/reader-1/recommendations?count=50&maxAgeHours=6')
  t.ok(
    recent.items.every((i) => Number(i.itemId.slice(1)) < 6),
    'only the 5 newest items are within 6 hours',
  )
  const first = await slate('/v1/users/reader-1/recommendations?count=3&diversity=0&explore=0')
  const excluded = first.items.map((i) => i.itemId)
  const next = await slate(`/v1/users/reader-1/recommendations?count=3&diversity=0&explore=0&exclude=${excluded.join(',')}`)
  t.notOk(next.items.some((i) => excluded.includes(i.itemId)))
})

t.test('cursor paging never repeats an item; a cursor is only valid for its user', async (t) => {
  const seen = new Set<string>()
  let cursor: string | null = null
  let pages = 0
  do {
    const url = `/v1/users/reader-4/recommendations?count=7${cursor ? `&cursor=${cursor}` : ''}`
    const page: Slate = await slate(url)
    for (const i of page.items) {
      t.notOk(seen.has(i.itemId), `${i.itemId} not repeated`)
      seen.add(i.itemId)
    }
    cursor = page.nextCursor
    pages++
  } while (cursor && pages < 20)
  t.ok(pages >= 3, `paged through ${pages} pages, ${seen.size} items`)
  const first = await slate('/v1/users/reader-4/recommendations?count=2')
  const stolen = await get(`/v1/users/reader-5/recommendations?cursor=${first.nextCursor}`)
  t.equal(stolen.statusCode, 400)
  t.equal(stolen.json().errors[0].field, '/cursor')
})

t.test('muted authors never appear; the non-personalized switch is honoured', async (t) => {
  const settings = {
    followedTopics: [],
    mutedTopics: [],
    mutedAuthors: ['tech-writer-0'],
    mutedItems: [],
    channels: { email: true, push: true, sms: false, in_app: true, webhook: false },
    quietHours: null,
    frequencyCaps: {},
    languages: [],
    style: { formality: 'neutral', length: 'medium', emoji: 'some', readingLevel: 'standard' },
    nonPersonalized: false,
  }
  await publish('profiles', 'preferences.updated', 'reader-1', { userId: 'reader-1', ...settings, updatedAt: new Date().toISOString() })
  await waitFor(async () => (await userPreferences(db, 'reader-1'))?.mutedAuthors.length === 1, { timeoutMs: 30_000, what: 'mute applied' })
  let cursor: string | null = null
  for (let p = 0; p < 5; p++) {
    const page: Slate = await slate(`/v1/users/reader-1/recommendations?count=8${cursor ? `&cursor=${cursor}` : ''}`)
    t.notOk(
      page.items.some((i) => i.item.author === 'tech-writer-0'),
      `page ${p + 1} has no muted author`,
    )
    cursor = page.nextCursor
    if (!cursor) break
  }
  const feed = await slate('/v1/users/reader-1/feed?count=30')
  t.notOk(feed.items.some((i) => i.item.author === 'tech-writer-0'))

  await publish('profiles', 'preferences.updated', 'reader-2', {
    userId: 'reader-2',
    ...settings,
    mutedAuthors: [],
    nonPersonalized: true,
    updatedAt: new Date().toISOString(),
  })
  await waitFor(async () => (await userPreferences(db, 'reader-2'))?.nonPersonalized === true, { timeoutMs: 30_000, what: 'switch applied' })
  const plain = await slate('/v1/users/reader-2/recommendations?count=5')
  t.equal(plain.personalized, false)
  t.ok(plain.items.every((i) => i.reasons[0]?.kind === 'not-personalized'))
})

t.test('cold start: a new user in an audience segment first gets what the segment engages with', async (t) => {
  const segmentId = '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c99'
  for (const userId of ['reader-1', 'reader-4', 'reader-7', 'fresh-user'])
    await publish('profiles', 'segment.membership-changed', userId, { segmentId, userId, change: 'joined' })
  await waitFor(async () => (await db.selectFrom('userSegments').select('userId').where('segmentId', '=', segmentId).execute()).length === 4, {
    timeoutMs: 30_000,
    what: 'segment memberships applied',
  })
  const s = await slate('/v1/users/fresh-user/recommendations?count=5&explore=0&diversity=0')
  t.equal(s.items.length, 5)
  t.equal(s.items[0]?.reasons[0]?.kind, 'popular-in-segment')
  t.ok(s.items.filter((i) => i.item.categories.includes('tech')).length >= 4, 'the segment reads tech')
})

t.test('the feed blends followed authors and the network, explained per item', async (t) => {
  await interact('socialite', { type: 'follow', targetType: 'author', targetId: 'sport-writer-1' })
  await interact('socialite', { type: 'follow', targetType: 'user', targetId: 'reader-7' })
  await waitFor(async () => (await db.selectFrom('follows').select('targetId').where('userId', '=', 'socialite').execute()).length === 2, {
    timeoutMs: 30_000,
    what: 'follows applied',
  })
  const feed = await slate('/v1/users/socialite/feed?count=12')
  t.equal(feed.items.length, 12)
  const kinds = new Set(feed.items.flatMap((i) => i.reasons.map((r) => r.kind)))
  t.ok(kinds.has('followed-author'), 'items from the followed author')
  t.ok(kinds.has('followed-users-engaged'), 'items the followed reader engaged with')
  t.ok(
    feed.items.filter((i) => i.reasons.some((r) => r.kind === 'followed-author')).every((i) => i.item.author === 'sport-writer-1'),
    'the followed-author reason is true',
  )
  const next = await slate(`/v1/users/socialite/feed?count=12&cursor=${feed.nextCursor}`)
  t.notOk(
    next.items.some((i) => feed.items.some((f) => f.itemId === i.itemId)),
    'no repeats across feed pages',
  )
})

t.test('similar items; clicks carrying the recommendation id are attributed', async (t) => {
  const s = await slate('/v1/items/i4/similar?count=5')
  t.equal(s.items.length, 5)
  t.notOk(s.items.some((i) => i.itemId === 'i4'))
  t.ok(s.items.filter((i) => i.item.categories.includes('tech')).length >= 3, 'mostly the same category')
  t.equal((await get('/v1/items/nope/similar')).statusCode, 404)

  const recs = await slate('/v1/users/reader-8/recommendations?count=3')
  const clicked = recs.items[0]?.itemId as string
  await interact('reader-8', { type: 'click', itemId: clicked, recommendationId: recs.recommendationId })
  const fb = await waitFor(async () => (await feedbackFor(db, [recs.recommendationId])).get(recs.recommendationId), {
    timeoutMs: 30_000,
    what: 'attribution',
  })
  t.equal(fb.clicks, 1)
})

t.test('models: status for admins only', async (t) => {
  const status = await get('/v1/models/current', asAdmin)
  t.equal(status.statusCode, 200)
  t.match(status.json(), { state: 'ready', users: 30 })
  t.ok(status.json().interactions >= 270)
  t.equal((await get('/v1/models/current')).statusCode, 403, 'a site key cannot see or train models')
})

t.test('another replica stops serving what it kept once a change commits anywhere: a hidden item, a new interaction', async (t) => {
  // An API-only replica on the same database and topics: it applies no events itself, so what it
  // learns of changes comes through its listeners.
  const replica = await startTestService(recommendation, {
    database,
    bus: new KafkaBus({ brokers: kafka.brokers.split(','), clientId: 'recommendation-2', log }),
    env: { KAFKA_TOPIC_PREFIX: prefix, CONSUMERS_ENABLED: 'false' },
  })
  t.teardown(() => replica.close())
  const trained = await replica.app.inject({ method: 'POST', url: '/v1/models/train', headers: asAdmin })
  t.equal(trained.statusCode, 200)
  const fromReplica = async () => {
    const r = await replica.app.inject({ url: '/v1/users/reader-4/recommendations?count=5&diversity=0&explore=0', headers: asSite })
    if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`)
    return (r.json() as Slate).items.map((i) => i.itemId)
  }
  const first = await fromReplica()
  t.same(await fromReplica(), first, 'served again from what the replica kept')

  const hidden = first[0] as string
  const item = items.find((i) => i.itemId === hidden)
  const put = await app.inject({ method: 'PUT', url: `/v1/items/${hidden}`, headers: asAdmin, payload: { ...item, itemId: undefined, hidden: true } })
  t.equal(put.statusCode, 200, put.body)
  await waitFor(async () => !(await fromReplica()).includes(hidden), { timeoutMs: 30_000, what: 'the hidden item gone from the other replica' })

  const read = (await fromReplica())[0] as string
  await interact('reader-4', { type: 'like', itemId: read })
  await waitFor(async () => !(await fromReplica()).includes(read), { timeoutMs: 30_000, what: 'the item just read gone from the other replica' })
  t.pass('both changes reached the replica that did not make them')
})

for (const [name, url, field] of [
  ['count 0', '/v1/users/u/recommendations?count=0', '/count'],
  ['count 101', '/v1/users/u/recommendations?count=101', '/count'],
  ['diversity 2', '/v1/users/u/recommendations?diversity=2', '/diversity'],
  ['excludeSeen not a boolean', '/v1/users/u/recommendations?excludeSeen=maybe', '/excludeSeen'],
  ['unknown parameter', '/v1/users/u/recommendations?colour=red', '/colour'],
  ['garbage cursor', '/v1/users/u/recommendations?cursor=zzzz', '/cursor'],
  ['scenario with spaces', '/v1/users/u/recommendations?scenario=home%20page', '/scenario'],
  ['include something unknown', '/v1/users/u/recommendations?include=title', '/include'],
  ['feed maxAgeHours 0', '/v1/users/u/feed?maxAgeHours=0', '/maxAgeHours'],
] as const) {
  t.test(`bad input: ${name} → 400 naming ${field}`, async (t) => {
    const r = await get(url)
    t.equal(r.statusCode, 400)
    t.match(r.headers['content-type'], /application\/problem\+json/)
    t.ok(
      r.json().errors.some((e: { field: string }) => e.field === field),
      JSON.stringify(r.json().errors),
    )
  })
}
