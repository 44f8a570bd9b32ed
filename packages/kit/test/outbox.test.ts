import type { BusMessage, ConsumedMessage, EventBus, KitTables, OutboxMessage, Subscription } from '@attune/kit'
import { createMetrics, enqueueEvents, kitMigrations, makeEvent, migrateSchema, OutboxRelay, openDatabase, PAYLOAD_MAX_CHARS, schemaView } from '@attune/kit'
import { createTestDatabase, recordingStatements } from '@attune/kit/testing'
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
const events = (n: number, tag: string, from = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k
    return {
      topic: 'attune.test',
      key: `user-${i % 7}`,
      event: makeEvent({ type: 'test.happened', source: 'test', subject: `user-${i % 7}`, data: { tag, i } }, new Date()),
    } as OutboxMessage
  })
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
  for (let i = 0; i < 5; i++) await db.transaction().execute((trx) => enqueueEvents(trx, events(50, 'order', i * 50)))
  t.equal(await pending(), 5, "one row per transaction's events")
  const bus = new RecordingBus()
  const relay = relayFor(bus, 2)
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

t.test('events share rows, each with its own topic, key and headers; dead letters and lone events keep a row each', async (t) => {
  const many = events(1001, 'rows').map((m, i) => (i === 1 ? { ...m, topic: 'attune.other', headers: { 'x-trace': 'abc' } } : m))
  const raw = { topic: 'attune.test.dlq', key: 'k', raw: 'not json\nat all', headers: { error: 'bad' } }
  await db.transaction().execute((trx) => enqueueEvents(trx, [raw, ...many]))
  await db.transaction().execute((trx) => enqueueEvents(trx, events(1, 'lone', 1001)))
  const rows = await db.selectFrom('outbox').select(['payload', 'batch']).orderBy('id').execute()
  t.equal(rows[0]?.batch, null, 'the dead letter keeps a row')
  t.equal(rows.at(-1)?.batch, null, 'so does a lone event')
  t.ok(rows.length < 1001 / 50, `1,001 events in ${rows.length - 2} rows`)
  const bus = new RecordingBus()
  await relayFor(bus).publishBatch()
  t.equal(bus.sent.length, 1003)
  t.same(bus.sent[0], { topic: 'attune.test.dlq', key: 'k', value: 'not json\nat all', headers: { error: 'bad' } })
  t.same(bus.sent[2], { ...bus.sent[2], topic: 'attune.other', key: 'user-1', headers: { 'x-trace': 'abc' } })
  t.same(bus.sent[3]?.headers, {})
  t.same(
    bus.sent.slice(1).map((m) => JSON.parse(m.value).data.i),
    Array.from({ length: 1002 }, (_, i) => i),
  )
})

t.test('a row payload holds at most PAYLOAD_MAX_CHARS of event values (a longer value alone); all are published once, in order', async (t) => {
  const text = 'x'.repeat(900)
  const many = Array.from({ length: 200 }, (_, i) => ({
    topic: 'attune.test',
    key: `user-${i % 7}`,
    event: makeEvent(
      { type: 'test.happened', source: 'test', subject: `user-${i % 7}`, data: { tag: 'chars', i, text: i === 150 ? 'y'.repeat(PAYLOAD_MAX_CHARS) : text } },
      new Date(),
    ),
  })) as OutboxMessage[]
  await db.transaction().execute((trx) => enqueueEvents(trx, many))
  const rows = await db.selectFrom('outbox').select(['payload', 'batch']).orderBy('id').execute()
  const sizes = rows.map((r) => r.payload.length)
  t.ok(rows.length >= 4, `${rows.length} rows for ~${Math.round((200 * 1200 + PAYLOAD_MAX_CHARS) / 1000)}k characters`)
  t.equal(sizes.filter((n) => n > PAYLOAD_MAX_CHARS).length, 1, 'only the value longer than the limit is over it')
  t.ok(
    rows.some((r) => r.batch === null && r.payload.includes('yyyy')),
    'the long value is a row of its own',
  )
  const bus = new RecordingBus()
  await relayFor(bus).publishBatch()
  t.same(
    bus.sent.map((m) => JSON.parse(m.value).data.i),
    Array.from({ length: 200 }, (_, i) => i),
  )
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
  t.equal(await pending(), 1, 'the row holding all ten stays')
  t.equal(await relay.publishBatch(), 10)
  t.equal(bus.sent.length, 10)
})

t.test('two relays racing (replicas) publish every row exactly once', async (t) => {
  for (let i = 0; i < 60; i++) await db.transaction().execute((trx) => enqueueEvents(trx, events(20, 'race', i * 20)))
  const bus = new RecordingBus()
  const a = relayFor(bus, 3)
  const b = relayFor(bus, 3)
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

t.test('an idle relay polls with one read, and claims rows in a transaction only once some wait', async (t) => {
  const bus = new RecordingBus()
  // Every statement the relay sends, by kind.
  const { db: counted, kinds } = recordingStatements(db)
  const relay = new OutboxRelay({ db: counted, bus, log, metrics: createMetrics('obx3'), batchSize: 100, pollMs: 10 })
  relay.start()
  const until = async (what: () => boolean) => {
    const deadline = Date.now() + 10_000
    while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  }
  await until(() => kinds.filter((k) => k === 'SelectQueryNode').length >= 10)
  // The first look claims (SET LOCAL, then DELETE … WHERE id IN (SELECT … SKIP LOCKED)); the polls after it read.
  const firstLook = kinds.indexOf('DeleteQueryNode') + 1
  t.same(kinds.slice(0, firstLook), ['RawNode', 'SelectQueryNode', 'DeleteQueryNode'], 'the first look claims in a transaction')
  t.same(
    kinds.slice(firstLook).filter((k) => k !== 'SelectQueryNode'),
    [],
    'no claiming transaction (SET LOCAL, DELETE … RETURNING) while nothing waits',
  )
  // Written without a nudge: the next poll finds it.
  await db.transaction().execute((trx) => enqueueEvents(trx, events(5, 'idle')))
  await until(() => bus.sent.length === 5)
  t.equal(bus.sent.length, 5, 'published by the poll')
  t.ok(kinds.slice(firstLook).includes('DeleteQueryNode'), 'claimed once rows waited')
  await relay.stop()
})
