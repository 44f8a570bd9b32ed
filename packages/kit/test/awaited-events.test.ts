// Events announced before this service applied them, on real Postgres: applied once the inbox row
// exists, events expected meanwhile checked at the next read, given up on after a while.
import { AwaitedEvents, type KitTables, kitMigrations, migrateSchema, openDatabase, schemaView } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import t from 'tap'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
await migrateSchema(database, 'awaited', kitMigrations)
const db = schemaView<KitTables>(database, 'awaited')
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

const id = (n: number) => `0193a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`
const applyEvent = (eventId: string) => db.insertInto('inbox').values({ consumer: 'c', eventId, status: 'processed', error: null }).execute()

t.test('a subject is applied once every event expected for it has its inbox row', async (t) => {
  const awaited = new AwaitedEvents(db)
  t.equal(await awaited.applied('u1'), true, 'nothing expected')
  awaited.expect('u1', id(1))
  awaited.expect('u1', id(2))
  t.equal(await awaited.applied('u1'), false)
  await applyEvent(id(1))
  t.equal(await awaited.applied('u1'), false, 'one of two applied')
  await applyEvent(id(2))
  t.equal(await awaited.applied('u1'), true)
  t.equal(await awaited.applied('u1'), true, 'and no longer tracked')
})

t.test('forget drops what was expected; an event never applied is given up on', async (t) => {
  const awaited = new AwaitedEvents(db, { giveUpMs: 50, maxSubjects: 10 })
  awaited.expect('u2', id(3))
  awaited.forget('u2')
  t.equal(await awaited.applied('u2'), true)
  awaited.expect('u3', id(4))
  t.equal(await awaited.applied('u3'), false)
  await new Promise((r) => setTimeout(r, 60))
  t.equal(await awaited.applied('u3'), true, 'kept anyway after giveUpMs')
})

t.test('bounded: the oldest subject goes first', async (t) => {
  const awaited = new AwaitedEvents(db, { giveUpMs: 60_000, maxSubjects: 2 })
  awaited.expect('a', id(5))
  awaited.expect('b', id(6))
  awaited.expect('c', id(7))
  t.equal(await awaited.applied('a'), true, 'the oldest was dropped')
  t.equal(await awaited.applied('c'), false)
})
