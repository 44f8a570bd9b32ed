// Served slates written behind on real Postgres: buffered writes together (in pieces of bounded size), cursors found
// from memory or (another replica's) from the table, nothing of an erased user written later (nor left
// written by the batch in flight when the erasure came, nor by a request in flight when it ran).
import { erasureLockKey, type KitTables, lockForErasure, MAX_PARAMETER_CHARS, openDatabase, recordErasedSubjects } from '@attune/kit'
import { createTestDatabase, holdInTransaction, startTestService, waitFor } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { ServedLog } from '../../src/serving/served-log.ts'
import { findServed } from '../../src/store/served-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const service = await startTestService(recommendation, { database, start: false })
const db = service.context.db
const { schema } = service.context
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
  const log = new ServedLog(db, { flushMs: 50, maxBuffered: 100, recentMax: 10, schema })
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
  const writer = new ServedLog(db, { flushMs: 40, maxBuffered: 100, recentMax: 10, schema })
  const reader = new ServedLog(db, { flushMs: 40, maxBuffered: 100, recentMax: 10, schema })
  writer.record(slate(ids[2] as string, 'u3'))
  t.match(await reader.find(ids[2] as string), { userId: 'u3' }, 'looked for again after a flush interval')
  t.equal(await reader.find('0193a0b0-0000-7000-8000-0000000000ff'), undefined, 'unknown stays unknown')
  await writer.close()
})

t.test('a full buffer is written at once; close writes what is left', async (t) => {
  const log = new ServedLog(db, { flushMs: 60_000, maxBuffered: 1, recentMax: 10, schema })
  log.record(slate(ids[3] as string, 'u4'))
  await log.flush()
  t.match(await findServed(db, ids[3] as string), { userId: 'u4' })
  await log.close()
})

t.test('forget: nothing of an erased user is written later or answered from memory', async (t) => {
  const log = new ServedLog(db, { flushMs: 20, maxBuffered: 100, recentMax: 10, schema })
  log.record(slate(ids[4] as string, 'erased'))
  await log.forget('erased')
  await log.close()
  t.equal(await findServed(db, ids[4] as string), undefined)
  t.equal(await log.find(ids[4] as string), undefined)
})

t.test('forget while a batch holding the user is being written: deleted again once it is', async (t) => {
  const [mine, other] = ['0193a0b2-0000-7000-8000-000000000001', '0193a0b2-0000-7000-8000-000000000002']
  const log = new ServedLog(db, { flushMs: 60_000, maxBuffered: 100, recentMax: 10, schema })
  log.record(slate(mine, 'erased-in-flight'))
  log.record(slate(other, 'stays'))
  // Another session inserts the same id first and holds it: the flush's insert waits for it.
  const release = await holdInTransaction(db, (trx) => trx.insertInto('servedRecommendations').values(slate(mine, 'blocker')).execute())
  const flushing = log.flush()
  await waitFor(
    async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%served_recommendations%'`.execute(db)
      ).rows[0]?.n === 1,
    { what: 'the flush to wait for the blocker' },
  )
  let forgotten = false
  const forgetting = (async () => {
    await log.forget('erased-in-flight')
    forgotten = true
  })()
  await new Promise((r) => setTimeout(r, 50))
  t.notOk(forgotten, 'forget waits for the write in flight')
  await Promise.all([release(), flushing, forgetting])
  t.equal(await findServed(db, mine), undefined, 'the slate the batch wrote after the erasure is deleted again')
  t.match(await findServed(db, other), { userId: 'stays' }, "the other user's slate stays")
  await log.close()
})

t.test('a slate of a request received before its user was erased, recorded after the erasure ran, is not written', async (t) => {
  const [before, after, other] = ['0193a0b3-0000-7000-8000-000000000001', '0193a0b3-0000-7000-8000-000000000002', '0193a0b3-0000-7000-8000-000000000003']
  const asked = new Date('2026-11-25T12:00:01Z')
  // The erasure ran (and every replica forgot the user) while the request was still in flight.
  await (db as unknown as Kysely<KitTables>).transaction().execute(async (trx) => {
    await lockForErasure(trx, erasureLockKey(schema))
    await recordErasedSubjects(trx, ['erased-late'], asked)
  })
  const log = new ServedLog(db, { flushMs: 60_000, maxBuffered: 100, recentMax: 10, schema })
  await log.forget('erased-late')
  log.record(slate(before, 'erased-late'))
  log.record({ ...slate(after, 'erased-late'), servedAt: new Date(asked.getTime() + 1) })
  log.record(slate(other, 'not-erased'))
  await log.flush()
  t.equal(await findServed(db, before), undefined, 'served before the erasure was asked for: dropped')
  t.match(await findServed(db, after), { userId: 'erased-late' }, 'served after it: new data, written')
  t.match(await findServed(db, other), { userId: 'not-erased' }, 'the same batch writes the others')
  await log.close()
})

t.test('a flush larger than one parameter is written whole, in pieces', async (t) => {
  const many = Array.from({ length: 600 }, (_, i) => ({
    ...slate(`0193a0b1-0000-7000-8000-${String(i).padStart(12, '0')}`, `many-${i % 7}`),
    itemIds: Array.from({ length: 20 }, (_, k) => `item-${i}-${k}`),
  }))
  t.ok(JSON.stringify(many).length > 2 * MAX_PARAMETER_CHARS, 'more than two parameters’ worth')
  const log = new ServedLog(db, { flushMs: 60_000, maxBuffered: 1000, recentMax: 10, schema })
  for (const s of many) log.record(s)
  await log.flush()
  const stored = await db.selectFrom('servedRecommendations').select(['recommendationId', 'itemIds']).where('userId', 'like', 'many-%').execute()
  t.equal(stored.length, many.length)
  t.same(stored.find((r) => r.recommendationId === many[599]?.recommendationId)?.itemIds, many[599]?.itemIds)
  await log.close()
})
