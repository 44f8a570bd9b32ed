import { randomUUID } from 'node:crypto'
import type { Interaction } from '@attune/contracts'
import { MemoryBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, startTestService, waitFor } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import t from 'tap'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const bus = new MemoryBus({ retryDelayMs: 10 })
const now = new Date('2026-11-25T12:00:00Z')
const service = await startTestService(recommendation, { database, bus, clock: () => now })
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000)
let marker = 0
/** Publishes interactions as profiling would and waits until the consumer has applied them. */
async function record(...items: (Partial<Interaction> & { itemId: string; type: Interaction['type'] } & Record<string, unknown>)[]) {
  const messages = [...items, { type: 'view', itemId: `marker-${++marker}`, time: hoursAgo(0.1).toISOString() }].map((i) => {
    const interaction = { id: randomUUID(), userId: 'u1', time: hoursAgo(1).toISOString(), ...i }
    const event = makeEvent({ type: 'interaction.recorded', source: 'profiling', subject: 'u1', data: { interaction, receivedAt: now.toISOString() } }, now)
    return { topic: 'attune.interactions', key: 'u1', value: JSON.stringify(event) }
  })
  await bus.publish(messages)
  await waitFor(async () => (await get('/v1/trending?window=30d&limit=100')).json().items.some((x: { itemId: string }) => x.itemId === `marker-${marker}`), {
    what: 'marker to trend',
  })
}
const get = (url: string, headers: Record<string, string> = asSite) => service.app.inject({ url, headers })
const ids = async (url: string) =>
  (await get(url))
    .json()
    .items.map((i: { itemId: string }) => i.itemId)
    .filter((id: string) => !id.startsWith('marker-'))

t.test('engagement ranks items; negative feedback pushes them down', async (t) => {
  await record(
    { type: 'click', itemId: 'a' },
    { type: 'share', itemId: 'a' },
    { type: 'view', itemId: 'b' },
    { type: 'view', itemId: 'b' },
    { type: 'click', itemId: 'c' },
    { type: 'view', itemId: 'c' },
  )
  t.same(await ids('/v1/trending?window=24h'), ['a', 'c', 'b'])
  await record({ type: 'not_interested', itemId: 'c' }, { type: 'hide', itemId: 'c' })
  t.same(await ids('/v1/trending?window=24h'), ['a', 'b'], 'c has a net negative score and drops out')
  const a = (await get('/v1/trending?window=24h')).json().items[0]
  t.equal(a.events, 2)
  t.same(a.reasons, ['trending: 2 interactions in 24h'])
})

t.test('windows: older interactions count only in longer windows, and weigh less', async (t) => {
  await record({ type: 'like', itemId: 'old', time: hoursAgo(24 * 5).toISOString() })
  t.notOk((await ids('/v1/trending?window=24h')).includes('old'))
  t.ok((await ids('/v1/trending?window=7d')).includes('old'))
  await record({ type: 'like', itemId: 'new', time: hoursAgo(2).toISOString() })
  const week = await ids('/v1/trending?window=7d')
  t.ok(week.indexOf('new') < week.indexOf('old'), 'the same like counts more when recent')
})

t.test('the cursor pages through without repeats', async (t) => {
  await record(...Array.from({ length: 12 }, (_, i) => ({ type: 'view' as const, itemId: `page-${i}` })))
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: { items: { itemId: string }[]; nextCursor: string | null } = (
      await get(`/v1/trending?window=30d&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()
    seen.push(...page.items.map((i) => i.itemId))
    cursor = page.nextCursor
  } while (cursor)
  t.equal(new Set(seen).size, seen.length)
  t.ok(seen.length >= 12)
})

t.test('bad input is a problem naming the field', async (t) => {
  const w = await get('/v1/trending?window=1y')
  t.equal(w.statusCode, 400)
  t.equal(w.json().errors[0].field, '/window')
  const l = await get('/v1/trending?limit=0')
  t.equal(l.statusCode, 400)
  t.equal(l.json().errors[0].field, '/limit')
  const c = await get('/v1/trending?cursor=bm9wZQ')
  t.equal(c.statusCode, 400)
  t.equal(c.json().code, 'invalid_cursor')
  t.equal(c.json().errors[0].field, '/cursor')
  t.equal((await get('/v1/trending', {})).statusCode, 401)
  t.equal((await get('/v1/trending', asAdmin)).statusCode, 200)
})

t.test('an event that breaks the contract is dead-lettered, not applied', async (t) => {
  const bad = makeEvent({ type: 'interaction.recorded', source: 'profiling', subject: 'u1', data: { interaction: { type: 'view' } } }, now)
  await bus.publish([{ topic: 'attune.interactions', key: 'u1', value: JSON.stringify(bad) }])
  const dead = await waitFor(() => bus.messages('attune.interactions.dlq').find((m) => JSON.parse(m.value).id === bad.id), { what: 'DLQ entry' })
  t.match(dead.headers?.['x-error'], /^invalid interaction\.recorded/)
})
