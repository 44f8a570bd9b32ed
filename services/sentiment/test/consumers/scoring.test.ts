// The event path on real Postgres and a Kafka protocol peer: comments on attune.interactions and
// posts on attune.items are scored, aggregated per item, author, topic and user, published as
// sentiment.scored; a burst of negative comments raises one spike alert; erasure removes the user.
import { randomUUID } from 'node:crypto'
import { type AnyEvent, EventTypes } from '@attune/contracts'
import { KafkaBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import pino from 'pino'
import t from 'tap'
import { sentiment } from '../../src/app.ts'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const newBus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
const service = await startTestService(sentiment, { database, bus: newBus('sentiment'), env: { KAFKA_TOPIC_PREFIX: prefix } })
const { app } = service
const db = service.context.db

// Everything published on attune.sentiment and attune.privacy, as the rest of the suite would see it.
const seen: AnyEvent[] = []
const watcher = newBus('watcher')
const watch = await watcher.subscribe({
  groupId: `${prefix}.watcher`,
  topics: [`${prefix}.sentiment`, `${prefix}.privacy`],
  handleBatch: async (messages) => {
    for (const m of messages) seen.push(JSON.parse(m.value) as AnyEvent)
  },
})
const publisher = newBus('publisher')
t.teardown(async () => {
  await watch.stop()
  await watcher.close()
  await publisher.close()
  await service.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

const now = () => new Date()
async function publish(topic: string, type: string, subject: string, data: unknown) {
  const event = makeEvent({ type, source: 'test', subject, data }, now())
  await publisher.publish([{ topic: `${prefix}.${topic}`, key: subject, value: JSON.stringify(event) }])
  return event
}
const comment = (userId: string, itemId: string, text: string, id = randomUUID()) =>
  publish('interactions', EventTypes.interactionRecorded.type, userId, {
    interaction: { id, type: 'comment', userId, itemId, text, time: now().toISOString() },
    receivedAt: now().toISOString(),
  })
const scored = (pred: (d: Record<string, unknown>) => boolean) =>
  seen.filter((e) => e.type === 'sentiment.scored' && pred(e.data as Record<string, unknown>)).map((e) => e.data as Record<string, unknown>)
const get = async (url: string) => (await app.inject({ url, headers: asAdmin })).json()

t.test('posts and comments are scored, published and aggregated', async (t) => {
  const item = {
    itemId: 'post-1',
    type: 'post',
    title: null,
    text: 'Our new app update is live! We think you will love it 🎉',
    url: null,
    categories: ['app'],
    tags: [],
    author: 'brand',
    language: 'en',
    publishedAt: now().toISOString(),
    expiresAt: null,
    hidden: false,
    properties: {},
    createdAt: now().toISOString(),
    updatedAt: now().toISOString(),
  }
  await publish('items', EventTypes.itemUpserted.type, 'post-1', { item, created: true })
  const [post] = await waitFor(
    () => {
      const x = scored((d) => d.textId === 'post:post-1')
      return x.length ? x : undefined
    },
    { timeoutMs: 20_000, what: 'the post scored' },
  )
  t.match(post, { source: 'post', itemId: 'post-1', authorId: 'brand', topics: ['app'], label: 'positive', emotion: 'joy' })

  const ids = { love: randomUUID(), hate: randomUUID(), french: randomUUID() }
  await comment('ann', 'post-1', 'I love it, works great now 😍', ids.love)
  await comment('bob', 'post-1', 'This update is terrible, the app keeps crashing 😡', ids.hate)
  await comment('cat', 'post-1', 'Je déteste vraiment cette mise à jour', ids.french)
  await comment('ann', 'post-1', 'I love it, works great now 😍', ids.love) // redelivery: scored once
  const comments = await waitFor(
    () => {
      const x = scored((d) => d.source === 'comment' && d.itemId === 'post-1')
      return x.length >= 2 ? x : undefined
    },
    { timeoutMs: 20_000, what: 'two comments scored' },
  )
  t.match(
    comments.find((d) => d.textId === ids.love),
    { userId: 'ann', authorId: 'brand', topics: ['app'], label: 'positive' },
  )
  t.match(
    comments.find((d) => d.textId === ids.hate),
    { userId: 'bob', label: 'negative', emotion: 'anger' },
  )

  const item1 = await waitFor(
    async () => {
      const x = await get('/v1/sentiment/items/post-1?window=1h')
      return x.total === 3 ? x : undefined
    },
    { what: 'item aggregate' },
  )
  t.match(item1, { dimension: 'item', key: 'post-1', total: 3, positive: 2, negative: 1, neutral: 0 })
  t.equal(item1.series.length, 4)
  t.match(await get('/v1/sentiment/authors/brand?window=24h'), { total: 3, positive: 2, negative: 1 })
  t.match(await get('/v1/sentiment/topics/app'), { total: 3 })
  t.match(await get('/v1/sentiment/users/ann?window=7d'), { total: 1, positive: 1, emotions: { joy: 1 } })
  t.match(await get('/v1/sentiment/users/cat'), { total: 0, averageCompound: null }, 'a comment in French is flagged, not scored')
  t.equal(scored((d) => d.textId === ids.love).length, 1, 'a redelivered comment is published once')
})

t.test('an edited post is rescored: its score is replaced, not added', async (t) => {
  const at = now().toISOString()
  const item = (text: string, updatedAt: string) => ({
    itemId: 'post-2',
    type: 'post',
    title: null,
    text,
    url: null,
    categories: ['launch'],
    tags: [],
    author: 'brand',
    language: 'en',
    publishedAt: at,
    expiresAt: null,
    hidden: false,
    properties: {},
    createdAt: at,
    updatedAt,
  })
  await publish('items', EventTypes.itemUpserted.type, 'post-2', { item: item('We are thrilled to launch this, thank you all! 🎉', at), created: true })
  await waitFor(async () => (await get('/v1/sentiment/items/post-2?window=1h')).positive === 1 || undefined, { timeoutMs: 20_000, what: 'the post scored' })
  const later = new Date(Date.parse(at) + 1000).toISOString()
  await publish('items', EventTypes.itemUpserted.type, 'post-2', {
    item: item('Update: the launch is cancelled. We are sorry, this is a terrible failure on our part.', later),
    created: false,
  })
  const edited = await waitFor(
    async () => {
      const x = await get('/v1/sentiment/items/post-2?window=1h')
      return x.negative === 1 ? x : undefined
    },
    { timeoutMs: 20_000, what: 'the edit rescored' },
  )
  t.match(edited, { total: 1, positive: 0, negative: 1 })
  const events = await waitFor(
    () => {
      const x = scored((d) => d.textId === 'post:post-2')
      return x.length >= 2 ? x : undefined
    },
    { timeoutMs: 20_000, what: 'both scores published' },
  )
  t.match(events, [{ label: 'positive' }, { label: 'negative' }], 'published when created and when edited')
})

t.test('a burst of negative comments on an item raises one spike alert', async (t) => {
  await comment('dan', 'hot-item', 'Nice article, thanks!')
  const angry = [
    'This is a disgrace, cancel my subscription',
    'Absolutely terrible, you should be ashamed',
    'Worst decision ever. I am furious 😡',
    'I hate this so much, unacceptable',
    'Awful. Just awful. Never again',
    'This is disgusting and offensive',
    'So angry right now, this is a scam',
  ]
  for (const [i, text] of angry.entries()) await comment(`angry-${i}`, 'hot-item', text)
  const spike = await waitFor(() => seen.find((e) => e.type === 'sentiment.spike-detected' && (e.data as { key: string }).key === 'hot-item'), {
    timeoutMs: 20_000,
    what: 'the spike event',
  })
  t.match(spike.data, { dimension: 'item', key: 'hot-item' })
  t.ok((spike.data as { negative: number }).negative >= 5)
  await comment('angry-x', 'hot-item', 'Still furious, this is a disaster')
  await waitFor(async () => (await get('/v1/sentiment/items/hot-item?window=1h')).total === angry.length + 2, { what: 'all counted' })
  const { alerts } = await get('/v1/sentiment/alerts?dimension=item&key=hot-item')
  t.equal(alerts.length, 1, 'one alert per window: no repeat while the spike lasts')
  t.match(alerts[0], { dimension: 'item', key: 'hot-item', alertId: (spike.data as { alertId: string }).alertId })
  t.ok(alerts[0].negativeShare > alerts[0].baselineShare * 2)
  t.match(await get('/v1/sentiment/alerts?dimension=item&key=post-1'), { alerts: [] })
})

t.test('erasure deletes the user’s scored texts and aggregates, keeps anonymous counts, and confirms', async (t) => {
  t.equal((await db.selectFrom('scoredTexts').select('textId').where('userId', '=', 'ann').execute()).length, 1)
  const exported = (await sentiment.privacy?.export?.(db, 'ann')) as { scoredTexts: Record<string, unknown>[]; aggregates: { total: number }[] }
  t.match(exported, { userId: 'ann', scoredTexts: [{ source: 'comment', itemId: 'post-1', label: 'positive', emotion: 'joy' }], aggregates: [{ total: 1 }] })
  t.notOk(JSON.stringify(exported).includes('works great'), 'the export has scores, not texts (none are stored)')
  const requestId = randomUUID()
  await publish('privacy', EventTypes.erasureRequested.type, 'ann', { requestId, userId: 'ann' })
  await waitFor(() => seen.find((e) => e.type === 'privacy.erasure-completed' && (e.data as { requestId: string }).requestId === requestId), {
    timeoutMs: 20_000,
    what: 'the erasure confirmation',
  })
  t.equal((await db.selectFrom('scoredTexts').select('textId').where('userId', '=', 'ann').execute()).length, 0)
  t.match(await get('/v1/sentiment/users/ann?window=30d'), { total: 0 })
  t.match(await get('/v1/sentiment/items/post-1?window=1h'), { total: 3 }, 'item counts hold no user id and stay')
  t.match(await sentiment.privacy?.export?.(db, 'ann'), { scoredTexts: [], aggregates: [] }, 'nothing left to export')
})
