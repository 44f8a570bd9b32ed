import { type AnyEvent, deadLetterTopic, Topics, topicName } from '@attune/contracts'
import { type ConsumedMessage, KafkaBus, type KitTables, makeEvent, openDatabase, type ServiceDefinition } from '@attune/kit'
import { createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'
import pino from 'pino'
import t from 'tap'

interface ProbeDb extends KitTables {
  handled: { eventId: string; subject: string }
}

// Counts how often the handler saw each subject, to prove retries and single application.
const calls = new Map<string, number>()
const idempotentCalls = new Map<string, number>()

const probe: ServiceDefinition<ProbeDb> = {
  name: 'probe',
  version: '0.0.1',
  description: 'consumer test service',
  tags: [],
  migrations: {
    '0001-create-handled': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('handled').addColumn('event_id', 'text').addColumn('subject', 'text').execute()
      },
    },
  },
  routes() {},
  consumers: () => [
    {
      // Re-applies what it is given: no inbox rows, and a repeat reaches the handler.
      name: 'counter',
      topic: Topics.interactions,
      idempotent: true,
      async handle(_trx, events) {
        for (const e of events) idempotentCalls.set(e.subject, (idempotentCalls.get(e.subject) ?? 0) + 1)
      },
    },
    {
      name: 'recorder',
      topic: Topics.interactions,
      async handle(trx, events) {
        for (const e of events) {
          calls.set(e.subject, (calls.get(e.subject) ?? 0) + 1)
          if (e.subject === 'poison') throw new Error('cannot digest poison')
        }
        await trx
          .insertInto('handled')
          .values(events.map((e) => ({ eventId: e.id, subject: e.subject })))
          .execute()
      },
    },
  ],
}

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const brokers = kafka.brokers.split(',')
const service = await startTestService(probe, {
  database,
  bus: new KafkaBus({ brokers, clientId: 'probe', log }),
  env: { KAFKA_TOPIC_PREFIX: prefix, CONSUMER_MAX_ATTEMPTS: '3' },
})
const producer = new KafkaBus({ brokers, clientId: 'producer', log })
const watcher = new KafkaBus({ brokers, clientId: 'watcher', log })
const dlq: ConsumedMessage[] = []
const topic = topicName(prefix, Topics.interactions)
await watcher.subscribe({ groupId: `${prefix}.watcher`, topics: [deadLetterTopic(topic)], handleBatch: async (m) => void dlq.push(...m) })
t.teardown(async () => {
  await service.close()
  await producer.close()
  await watcher.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

const event = (subject: string): AnyEvent => makeEvent({ type: 'interaction.recorded', source: 'test', subject, data: {} }, new Date())
// One key for all: the topic has several partitions and these tests rely on order.
const send = (...events: AnyEvent[]) => producer.publish(events.map((e) => ({ topic, key: 'one-partition', value: JSON.stringify(e) })))
const handled = async (subject: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from probe.handled where subject = ${subject}`.execute(database.root)).rows[0]?.n ?? 0

t.test('a consumer that keeps throwing: retried, dead-lettered with the error, later events flow', async (t) => {
  await send(event('before'), event('poison'), event('after'))
  await waitFor(async () => (await handled('after')) === 1, { timeoutMs: 60_000, what: 'event after the poison one' })
  t.equal(await handled('before'), 1)
  t.equal(await handled('poison'), 0, 'the failing event left no state behind')
  t.equal(calls.get('poison'), 4, 'one batch try, then three tries on its own')
  const dead = await waitFor(() => dlq.find((m) => JSON.parse(m.value).subject === 'poison'), { timeoutMs: 30_000, what: 'DLQ message' })
  t.equal(dead.headers?.['x-error'], 'cannot digest poison')
  t.equal(dead.headers?.['x-consumer'], 'recorder')
  t.equal(dead.headers?.['x-original-topic'], topic)
  t.equal(dead.key, 'one-partition')
  const inbox = await sql<{ status: string }>`select status from probe.inbox where event_id = ${JSON.parse(dead.value).id}`.execute(database.root)
  t.same(inbox.rows, [{ status: 'dead_lettered' }])
})

t.test('the same event delivered twice is applied once', async (t) => {
  const twice = event('twice')
  await send(twice)
  await send(twice, event('marker'))
  await waitFor(async () => (await handled('marker')) === 1, { timeoutMs: 30_000, what: 'marker event' })
  t.equal(await handled('twice'), 1)
  t.equal(calls.get('twice'), 1, 'the handler never saw the repeat')
  await waitFor(() => idempotentCalls.get('twice') === 2, { timeoutMs: 30_000, what: 'the idempotent consumer to see the repeat' })
  const rows = await sql<{ n: number }>`select count(*)::int as n from probe.inbox where consumer = 'counter'`.execute(database.root)
  t.equal(rows.rows[0]?.n, 0, 'and keeps no inbox rows')
})

t.test('a message that is not an event envelope goes straight to the DLQ', async (t) => {
  await producer.publish([{ topic, key: 'junk', value: '{"not":"an event"' }])
  await producer.publish([{ topic, key: 'junk2', value: JSON.stringify({ id: 'x', hello: 1 }) }])
  const junk = await waitFor(() => dlq.find((m) => m.key === 'junk'), { timeoutMs: 30_000, what: 'junk in DLQ' })
  t.equal(junk.headers?.['x-error'], 'message is not valid JSON')
  const junk2 = await waitFor(() => dlq.find((m) => m.key === 'junk2'), { timeoutMs: 30_000, what: 'junk2 in DLQ' })
  t.match(junk2.headers?.['x-error'], /^not an event envelope/)
  t.equal(junk2.headers?.['x-attempts'], '1')
})
