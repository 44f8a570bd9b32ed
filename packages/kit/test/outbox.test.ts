import type { BusMessage, ConsumedMessage, EventBus, KitTables, Subscription } from '@attune/kit'
import { createMetrics, enqueueEvents, kitMigrations, makeEvent, migrateSchema, OutboxRelay, openDatabase, schemaView } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import pino from 'pino'
import t from 'tap'

/** A bus that records what it was given and can be told to fail. */
class RecordingBus implements EventBus {
  readonly kind = 'memory'
  sent: BusMessage[] = []
  failNext = 0
  async publish(messages: BusMessage[]) {
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('broker unavailable')
    }
    this.sent.push(...messages)
  }
  async subscribe(): Promise<Subscription> {
    return { stop: async () => {} }
  }
  async isReady() {
    return true
  }
  async close() {}
  consumed(): ConsumedMessage[] {
    return []
  }
}

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
await migrateSchema(database, 'obx', kitMigrations)
const db = schemaView<KitTables>(database, 'obx')
const log = pino({ level: 'silent' })
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

const relayFor = (bus: EventBus, batchSize = 100) => new OutboxRelay({ db, bus, log, metrics: createMetrics('obx'), batchSize, pollMs: 20 })
const events = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    topic: 'attune.test',
    key: `user-${i % 7}`,
    event: makeEvent({ type: 'test.happened', source: 'test', subject: `user-${i % 7}`, data: { tag, i } }, new Date()),
  }))
const pending = async () =>
  Number(
    (
      await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

t.test('rows are published in order, each once, and removed', async (t) => {
  await db.transaction().execute((trx) => enqueueEvents(trx, events(250, 'order')))
  const bus = new RecordingBus()
  const relay = relayFor(bus)
  t.equal(await relay.publishBatch(), 100)
  t.equal(await relay.publishBatch(), 100)
  t.equal(await relay.publishBatch(), 50)
  t.equal(await relay.publishBatch(), 0)
  t.same(
    bus.sent.map((m) => JSON.parse(m.value).data.i),
    Array.from({ length: 250 }, (_, i) => i),
  )
  t.equal(bus.sent[3]?.key, 'user-3')
  t.equal(await pending(), 0)
})

t.test('a rolled-back transaction publishes nothing', async (t) => {
  await t.rejects(
    db.transaction().execute(async (trx) => {
      await enqueueEvents(trx, events(5, 'rollback'))
      throw new Error('state change failed')
    }),
  )
  t.equal(await pending(), 0)
})

t.test('when the bus fails the rows stay and go out on a later try', async (t) => {
  await db.transaction().execute((trx) => enqueueEvents(trx, events(10, 'retry')))
  const bus = new RecordingBus()
  bus.failNext = 1
  const relay = relayFor(bus)
  await t.rejects(relay.publishBatch(), /broker unavailable/)
  t.equal(await pending(), 10)
  t.equal(await relay.publishBatch(), 10)
  t.equal(bus.sent.length, 10)
})

t.test('two relays racing (replicas) publish every row exactly once', async (t) => {
  await db.transaction().execute((trx) => enqueueEvents(trx, events(1200, 'race')))
  const bus = new RecordingBus()
  const a = relayFor(bus, 50)
  const b = relayFor(bus, 50)
  const drainAll = async (r: OutboxRelay) => {
    while ((await r.publishBatch()) > 0);
  }
  await Promise.all([drainAll(a), drainAll(b)])
  const ids = bus.sent.map((m) => JSON.parse(m.value).data.i)
  t.equal(ids.length, 1200)
  t.equal(new Set(ids).size, 1200)
})

t.test('the running relay is woken by nudge and drain empties the outbox', async (t) => {
  const bus = new RecordingBus()
  const relay = new OutboxRelay({ db, bus, log, metrics: createMetrics('obx2'), batchSize: 100, pollMs: 60_000 })
  relay.start()
  await db.transaction().execute((trx) => enqueueEvents(trx, events(30, 'nudge')))
  relay.nudge()
  const deadline = Date.now() + 10_000
  while (bus.sent.length < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  t.equal(bus.sent.length, 30, 'published without waiting for the poll interval')
  await db.transaction().execute((trx) => enqueueEvents(trx, events(20, 'drain')))
  t.equal(await relay.drain(5000), 0)
  t.equal(bus.sent.length, 50)
})
