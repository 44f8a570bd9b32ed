// Served slates written behind on real Postgres: buffered writes together (in pieces of bounded size), cursors found
// from memory or (another replica's) from the table, nothing of an erased user written later.
import { MAX_PARAMETER_CHARS, openDatabase } from '@attune/kit'
import { createTestDatabase, startTestService } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import t from 'tap'
import { ServedLog } from '../../src/serving/served-log.ts'
import { findServed } from '../../src/store/served-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const service = await startTestService(recommendation, { database, start: false })
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

const slate = (id: string, userId: string) => ({
  recommendationId: id,
  userId,
  scenario: 'home',
  kind: 'recommendations' as const,
  itemIds: ['a', 'b'],
  excludedIds: [],
  page: 1,
  servedAt: new Date('2026-11-25T12:00:00Z'),
})
const ids = Array.from({ length: 5 }, (_, i) => `0193a0b0-0000-7000-8000-00000000000${i}`)

t.test('buffered, then written together within the flush interval; found from memory at once', async (t) => {
  const log = new ServedLog(db, { flushMs: 50, maxBuffered: 100, recentMax: 10 })
  log.record(slate(ids[0] as string, 'u1'))
  log.record(slate(ids[1] as string, 'u2'))
  t.equal(await findServed(db, ids[0] as string), undefined, 'not written yet')
  t.match(await log.find(ids[0] as string), { userId: 'u1', itemIds: ['a', 'b'] }, 'answered from memory')
  await new Promise((r) => setTimeout(r, 150))
  t.match(await findServed(db, ids[0] as string), { userId: 'u1' })
  t.match(await findServed(db, ids[1] as string), { userId: 'u2' })
  await log.close()
})

t.test('another replica finds a slate once it is written, even one written just after the first look', async (t) => {
  const writer = new ServedLog(db, { flushMs: 40, maxBuffered: 100, recentMax: 10 })
  const reader = new ServedLog(db, { flushMs: 40, maxBuffered: 100, recentMax: 10 })
  writer.record(slate(ids[2] as string, 'u3'))
  t.match(await reader.find(ids[2] as string), { userId: 'u3' }, 'looked for again after a flush interval')
  t.equal(await reader.find('0193a0b0-0000-7000-8000-0000000000ff'), undefined, 'unknown stays unknown')
  await writer.close()
})

t.test('a full buffer is written at once; close writes what is left', async (t) => {
  const log = new ServedLog(db, { flushMs: 60_000, maxBuffered: 1, recentMax: 10 })
  log.record(slate(ids[3] as string, 'u4'))
  await log.flush()
  t.match(await findServed(db, ids[3] as string), { userId: 'u4' })
  await log.close()
})

t.test('forget: nothing of an erased user is written later or answered from memory', async (t) => {
  const log = new ServedLog(db, { flushMs: 20, maxBuffered: 100, recentMax: 10 })
  log.record(slate(ids[4] as string, 'erased'))
  log.forget('erased')
  await log.close()
  t.equal(await findServed(db, ids[4] as string), undefined)
  t.equal(await log.find(ids[4] as string), undefined)
})

t.test('a flush larger than one parameter is written whole, in pieces', async (t) => {
  const many = Array.from({ length: 600 }, (_, i) => ({
    ...slate(`0193a0b1-0000-7000-8000-${String(i).padStart(12, '0')}`, `many-${i % 7}`),
    itemIds: Array.from({ length: 20 }, (_, k) => `item-${i}-${k}`),
  }))
  t.ok(JSON.stringify(many).length > 2 * MAX_PARAMETER_CHARS, 'more than two parameters’ worth')
  const log = new ServedLog(db, { flushMs: 60_000, maxBuffered: 1000, recentMax: 10 })
  for (const s of many) log.record(s)
  await log.flush()
  const stored = await db.selectFrom('servedRecommendations').select(['recommendationId', 'itemIds']).where('userId', 'like', 'many-%').execute()
  t.equal(stored.length, many.length)
  t.same(stored.find((r) => r.recommendationId === many[599]?.recommendationId)?.itemIds, many[599]?.itemIds)
  await log.close()
})
