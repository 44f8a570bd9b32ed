import { MemoryBus, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, startTestService, waitFor } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import { sql } from 'kysely'
import t from 'tap'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
// The service's own listeners consume attune.items; keep enough of it to inspect.
const bus = new MemoryBus({ retryDelayMs: 10, retain: 10_000 })
const now = new Date('2026-11-25T12:00:00Z')
const service = await startTestService(recommendation, { database, bus, clock: () => now })
const { app } = service
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE'
const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = asAdmin) =>
  app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) })

/** Published catalog events, once the relay has published everything committed. */
async function published() {
  await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from recommendation.outbox`.execute(database.root)).rows[0]?.n === 0, {
    what: 'outbox to drain',
  })
  return bus.messages('attune.items').map((m) => ({ key: m.key, event: JSON.parse(m.value) }))
}
const eventsFor = async (itemId: string) => (await published()).filter((m) => m.key === itemId).map((m) => m.event)

const article = {
  type: 'article',
  title: 'Heat pumps, explained',
  text: 'How heat pumps move heat rather than make it.',
  url: 'https://news.example.com/heat-pumps',
  categories: ['science', 'climate'],
  tags: ['energy'],
  author: 'author-3',
  language: 'en',
  publishedAt: '2026-11-24T08:00:00Z',
  properties: { premium: false, nested: { b: 1, a: [1, 2] } },
}

t.test('PUT creates (201), reads back, and publishes item.upserted keyed by item id', async (t) => {
  const r = await call('PUT', '/v1/items/a-1', article)
  t.equal(r.statusCode, 201)
  const item = r.json()
  t.match(item, { ...article, itemId: 'a-1', publishedAt: '2026-11-24T08:00:00.000Z', expiresAt: null, hidden: false })
  t.equal(item.createdAt, now.toISOString())
  t.same((await call('GET', '/v1/items/a-1')).json(), item)
  const events = await eventsFor('a-1')
  t.equal(events.length, 1)
  t.match(events[0], { type: 'item.upserted', source: 'recommendation', subject: 'a-1', schemaVersion: 1, data: { item, created: true } })
})

t.test('the same content again is a no-op: 200, nothing written or published', async (t) => {
  const before = (await eventsFor('a-1')).length
  // Same content, keys in another order and the date in another notation.
  const r = await call('PUT', '/v1/items/a-1', {
    ...article,
    properties: { nested: { a: [1, 2], b: 1 }, premium: false },
    publishedAt: '2026-11-24T09:00:00.000+01:00',
  })
  t.equal(r.statusCode, 200)
  t.equal((await eventsFor('a-1')).length, before, 'no new event')
  const changed = await call('PUT', '/v1/items/a-1', { ...article, hidden: true })
  t.equal(changed.statusCode, 200)
  t.equal(changed.json().hidden, true)
  const events = await eventsFor('a-1')
  t.equal(events.length, before + 1)
  t.match(events.at(-1), { type: 'item.upserted', data: { created: false, item: { hidden: true } } })
})

t.test('PUT replaces the whole item: fields left out are reset to defaults', async (t) => {
  await call('PUT', '/v1/items/a-2', article)
  const r = await call('PUT', '/v1/items/a-2', { title: 'Only a title' })
  t.equal(r.statusCode, 200)
  t.match(r.json(), { itemId: 'a-2', type: 'article', title: 'Only a title', text: null, categories: [], tags: [], author: null, properties: {} })
})

t.test('batch upsert: thousands in one call, counts created/updated/unchanged, one event per change', async (t) => {
  const items = Array.from({ length: 3000 }, (_, i) => ({
    itemId: `b-${String(i).padStart(4, '0')}`,
    title: `Item ${i}`,
    text: 'lorem ipsum '.repeat(20),
    categories: [i % 2 ? 'sport' : 'tech'],
    author: `author-${i % 7}`,
  }))
  const first = await call('POST', '/v1/items/batch', { items })
  t.equal(first.statusCode, 200)
  t.same(first.json(), { received: 3000, created: 3000, updated: 0, unchanged: 0 })
  const again = await call('POST', '/v1/items/batch', { items: items.map((it, i) => (i < 10 ? { ...it, title: `${it.title}!` } : it)) })
  t.same(again.json(), { received: 3000, created: 0, updated: 10, unchanged: 2990 })
  const events = (await published()).filter((m) => m.key.startsWith('b-'))
  t.equal(events.length, 3010)
  t.equal(events.filter((m) => m.event.data.created === false).length, 10)
})

t.test('listing pages by id with filters and an opaque cursor', async (t) => {
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const r = await call('GET', `/v1/items?category=sport&author=author-3&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
    t.equal(r.statusCode, 200)
    const page: { items: { itemId: string; categories: string[]; author: string }[]; nextCursor: string | null } = r.json()
    t.ok(page.items.every((i) => i.categories.includes('sport') && i.author === 'author-3'))
    seen.push(...page.items.map((i) => i.itemId))
    cursor = page.nextCursor
    pages++
  } while (cursor)
  const expected = Array.from({ length: 3000 }, (_, i) => i)
    .filter((i) => i % 2 === 1 && i % 7 === 3)
    .map((i) => `b-${String(i).padStart(4, '0')}`)
  t.same(seen, expected, 'every match once, in id order')
  t.ok(pages > 1)
  const hidden = (await call('GET', '/v1/items?hidden=true')).json()
  t.same(
    hidden.items.map((i: { itemId: string }) => i.itemId),
    ['a-1'],
  )
  t.same((await call('GET', '/v1/items?tag=energy&type=article')).json().items.length, 1)
})

t.test('DELETE removes and publishes item.removed; unknown ids are 404', async (t) => {
  const r = await call('DELETE', '/v1/items/a-2')
  t.equal(r.statusCode, 204)
  t.equal((await call('GET', '/v1/items/a-2')).statusCode, 404)
  const events = await eventsFor('a-2')
  t.match(events.at(-1), { type: 'item.removed', subject: 'a-2', data: { itemId: 'a-2', removedAt: now.toISOString() } })
  const again = await call('DELETE', '/v1/items/a-2')
  t.equal(again.statusCode, 404)
  t.equal(again.json().code, 'not_found')
  t.equal((await call('GET', '/v1/items/nope')).statusCode, 404)
})

t.test('batch delete reports what was not there', async (t) => {
  const r = await call('POST', '/v1/items/batch-delete', { itemIds: ['b-0000', 'b-0001', 'missing', 'b-0000'] })
  t.equal(r.statusCode, 200)
  t.same(r.json(), { removed: 2, notFound: ['missing'] })
  const removed = (await published()).filter((m) => m.event.type === 'item.removed' && m.key.startsWith('b-'))
  t.same(removed.map((m) => m.key).sort(), ['b-0000', 'b-0001'])
})

t.test('bad input is a problem naming the field, and nothing is written', async (t) => {
  const cases: [Method, string, unknown, number, string][] = [
    ['PUT', '/v1/items/x', { title: 42 }, 400, '/title'],
    ['PUT', '/v1/items/x', { categories: 'sport' }, 400, '/categories'],
    ['PUT', '/v1/items/x', { publishedAt: '2026-02-30T00:00:00Z' }, 400, '/publishedAt'],
    ['PUT', '/v1/items/x', { publishedAt: 'yesterday' }, 400, '/publishedAt'],
    ['PUT', '/v1/items/x', { publishedAt: '2026-11-24T08:00:00Z', expiresAt: '2026-11-23T08:00:00Z' }, 400, '/expiresAt'],
    ['PUT', '/v1/items/x', { type: 'Not A Type' }, 400, '/type'],
    ['PUT', '/v1/items/x', { colour: 'red' }, 400, '/colour'],
    ['PUT', '/v1/items/x', { hidden: 'yes' }, 400, '/hidden'],
    ['POST', '/v1/items/batch', { items: [] }, 400, '/items'],
    ['POST', '/v1/items/batch', { items: [{ itemId: 'ok-1' }, { title: 'no id' }] }, 400, '/items/1/itemId'],
    [
      'POST',
      '/v1/items/batch',
      { items: [{ itemId: 'ok-1' }, { itemId: 'ok-2', expiresAt: '2020-01-01T00:00:00Z', publishedAt: '2021-01-01T00:00:00Z' }] },
      400,
      '/items/1/expiresAt',
    ],
    ['POST', '/v1/items/batch', { items: [{ itemId: 'ok-1' }, { itemId: 'ok-1' }] }, 400, '/items/1/itemId'],
    ['POST', '/v1/items/batch', { items: Array.from({ length: 5001 }, (_, i) => ({ itemId: `m-${i}` })) }, 400, '/items'],
    ['POST', '/v1/items/batch-delete', { itemIds: ['has space'] }, 400, '/itemIds/0'],
    ['GET', '/v1/items?limit=0', undefined, 400, '/limit'],
    ['GET', '/v1/items?cursor=bm9wZQ', undefined, 400, '/cursor'],
  ]
  for (const [method, url, payload, status, field] of cases) {
    const r = await call(method, url, payload)
    t.equal(r.statusCode, status, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)}`)
    t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(r.json().errors?.[0]?.field, field, `${method} ${url} names ${field}`)
  }
  t.equal((await call('GET', '/v1/items/x')).statusCode, 404, 'the rejected PUTs wrote nothing')
  t.equal((await call('GET', '/v1/items/ok-1')).statusCode, 404, 'a rejected batch writes nothing')
})

t.test('an oversize body is 413; catalog routes need the secret key', async (t) => {
  const huge = { items: Array.from({ length: 2000 }, (_, i) => ({ itemId: `h-${i}`, text: 'x'.repeat(20000) })) }
  const r = await call('POST', '/v1/items/batch', huge)
  t.equal(r.statusCode, 413)
  t.equal(r.json().code, 'payload_too_large')
  t.equal((await call('GET', '/v1/items', undefined, asSite)).statusCode, 403)
  t.equal((await call('PUT', '/v1/items/x', {}, {})).statusCode, 401)
})
