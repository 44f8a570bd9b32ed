// What a replica keeps per user, on real Postgres: ranked first pages worked out once per state and
// engine (again after the user changes or a new model is trained, bounded per user); a user whose
// change another replica announced is not kept until this service's consumers have applied it.
import { openDatabase } from '@attune/kit'
import { createTestDatabase, startTestService } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import { sql } from 'kysely'
import pino from 'pino'
import t from 'tap'
import type { Engine } from '../../src/recommenders/engine.ts'
import { Serving } from '../../src/serving/serving.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const service = await startTestService(recommendation, { database, start: false })
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

const serving = new Serving(
  { db, schema: service.context.schema, log: pino({ level: 'silent' }) },
  { maxUsers: 100, ttlMs: 60_000, settleMs: 0, servedFlushMs: 50 },
)
t.teardown(() => serving.close())
// Engines are compared by identity only here.
const engineA = {} as Engine
const engineB = {} as Engine

t.test('computed once per state, engine and request shape', async (t) => {
  let computed = 0
  const compute = async () => {
    computed++
    return [{ itemId: `i${computed}` }]
  }
  const state = await serving.userState('u1')
  const first = await serving.firstPage('u1', state, engineA, 'home', compute)
  const again = await serving.firstPage('u1', state, engineA, 'home', compute)
  t.equal(computed, 1)
  t.equal(again, first, 'the kept page itself')
  await serving.firstPage('u1', state, engineA, 'sport', compute)
  t.equal(computed, 2, 'another request shape is its own page')
  await serving.firstPage('u1', state, engineB, 'home', compute)
  t.equal(computed, 3, 'a new model ranks again')

  serving.changed(['u1'])
  await new Promise((r) => setTimeout(r, 5))
  const fresh = await serving.userState('u1')
  t.not(fresh, state, 'the change dropped the kept state')
  await serving.firstPage('u1', fresh, engineB, 'home', compute)
  t.equal(computed, 4, 'a changed user ranks again')
  await serving.firstPage('u1', state, engineB, 'home', compute)
  t.equal(computed, 5, 'a page worked out from a stale state is not served from, nor kept')
  await serving.firstPage('u1', fresh, engineB, 'home', compute)
  t.equal(computed, 5)
})

t.test('at most 16 request shapes per user are kept', async (t) => {
  let computed = 0
  const compute = async () => {
    computed++
    return []
  }
  const state = await serving.userState('u2')
  for (let i = 0; i < 17; i++) await serving.firstPage('u2', state, engineA, `shape-${i}`, compute)
  t.equal(computed, 17)
  await serving.firstPage('u2', state, engineA, 'shape-16', compute)
  t.equal(computed, 17, 'the newest is kept')
  await serving.firstPage('u2', state, engineA, 'shape-0', compute)
  t.equal(computed, 18, 'the oldest went first')
})

t.test('an announced change not yet applied here: reads are used, not kept, until its inbox row commits', async (t) => {
  const eventId = '0193a0b0-0000-7000-8000-0000000000aa'
  const kept = await serving.userState('u3')
  t.equal(await serving.userState('u3'), kept, 'kept')
  serving.changed(['u3'])
  serving.awaited.expect('u3', eventId)
  await new Promise((r) => setTimeout(r, 5))
  const first = await serving.userState('u3')
  t.not(await serving.userState('u3'), first, 'read again: the event is not applied yet')
  await sql`insert into recommendation.inbox (consumer, event_id) values ('interactions', ${eventId})`.execute(database.root)
  const applied = await serving.userState('u3')
  t.equal(await serving.userState('u3'), applied, 'kept once applied')
})
