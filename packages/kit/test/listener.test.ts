// Listeners: every replica sees every event of its topics from the moment it starts (its own
// consumer group), consumers or not; a consumer's afterCommit runs once the batch committed.
import { type AnyEvent, EventTypes } from '@attune/contracts'
import { type ConsumerDefinition, type KitTables, MemoryBus, makeEvent, openDatabase, type ServiceDefinition } from '@attune/kit'
import { createTestDatabase, startTestService, waitFor } from '@attune/kit/testing'
import { sql } from 'kysely'
import t from 'tap'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

function replica(seen: string[], committed: string[][]): ServiceDefinition<KitTables> {
  const consumer: ConsumerDefinition<KitTables> = {
    name: 'probe',
    topic: 'profiles',
    async handle(trx) {
      await sql`select 1`.execute(trx)
    },
    afterCommit: (events: AnyEvent[]) => committed.push(events.map((e) => e.subject ?? '')),
  }
  return {
    name: 'listening',
    version: '0.0.1',
    description: 'kit listener test service',
    tags: [],
    migrations: {},
    routes() {},
    consumers: () => [consumer],
    listeners: () => [{ name: 'seen', topics: ['profiles'], handle: (events) => void seen.push(...events.map((e) => e.subject ?? '')) }],
  }
}

const event = (subject: string) => ({
  topic: 'attune.profiles',
  key: subject,
  value: JSON.stringify(makeEvent({ type: EventTypes.preferencesUpdated.type, source: 'profiling', subject, data: {} }, new Date())),
})

t.test('each replica listens to every event published after it started; consumers share them', async (t) => {
  const bus = new MemoryBus({ retryDelayMs: 10 })
  await bus.publish([event('before-start')])
  const a = { seen: [] as string[], committed: [] as string[][] }
  const b = { seen: [] as string[], committed: [] as string[][] }
  // Two replicas on one bus and database; the bus is shared, so neither closes it.
  const ra = await startTestService(replica(a.seen, a.committed), { database, bus, env: { DATABASE_SCHEMA: 'listening' } })
  const rb = await startTestService(replica(b.seen, b.committed), { database, bus, env: { DATABASE_SCHEMA: 'listening', CONSUMERS_ENABLED: 'false' } })
  t.teardown(async () => {
    await ra.close()
    await rb.close()
  })
  await bus.publish([event('u1'), event('u2')])
  await bus.publish([{ topic: 'attune.profiles', key: 'x', value: 'not json' }])
  await bus.idle()
  await waitFor(() => a.seen.length >= 2 && b.seen.length >= 2, { what: 'both listeners' })
  t.same(a.seen, ['u1', 'u2'], 'a listener starts at the end of the topic and skips what is not an event')
  t.same(b.seen, ['u1', 'u2'], 'so does a replica without consumers')
  t.ok(a.committed.flat().includes('u1'), 'afterCommit saw the applied events')
  t.same(b.committed, [], 'CONSUMERS_ENABLED=false applies nothing')
})

t.test('a listener that throws is logged; later events still reach it', async (t) => {
  const bus = new MemoryBus({ retryDelayMs: 10 })
  const seen: string[] = []
  const def: ServiceDefinition<KitTables> = {
    ...replica([], []),
    consumers: () => [],
    listeners: () => [
      {
        name: 'flaky',
        topics: ['profiles'],
        handle(events) {
          if (events.some((e) => e.subject === 'boom')) throw new Error('listener failed')
          seen.push(...events.map((e) => e.subject ?? ''))
        },
      },
    ],
  }
  const s = await startTestService(def, { database, bus, env: { DATABASE_SCHEMA: 'listening2' } })
  t.teardown(() => s.close())
  await bus.publish([event('boom')])
  await bus.idle()
  await bus.publish([event('after')])
  await bus.idle()
  t.same(seen, ['after'])
})
