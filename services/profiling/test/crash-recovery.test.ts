// Nothing acknowledged is lost: the process is killed (SIGKILL) after answering 202 but before its
// outbox relay ran; the next process publishes the event. Real server processes, Postgres and Kafka.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { Topics, topicName } from '@attune/contracts'
import { KafkaBus } from '@attune/kit'
import { createTestDatabase, exitCode, kafkaForTests, startNodeProcess, TEST_API_KEYS, TEST_PUBLIC_KEY, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import pg from 'pg'
import pino from 'pino'
import t from 'tap'

const db = await createTestDatabase()
const kafka = await kafkaForTests()
const prefix = uniqueTopicPrefix()
const server = join(import.meta.dirname, '..', 'src', 'server.ts')
const children: ChildProcess[] = []
const inspector = new KafkaBus({ brokers: kafka.brokers.split(','), clientId: 'inspector', log: pino({ level: 'silent' }) })
t.teardown(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await inspector.close()
  await db.drop()
  await kafka.stop()
})

/** Starts profiling as its own process, resolving once it listens. */
async function startServer(env: Record<string, string>) {
  const p = await startNodeProcess(
    server,
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      ATTUNE_API_KEYS: TEST_API_KEYS,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
  )
  children.push(p.child)
  return { ...p, url: p.match[1] ?? '' }
}

t.test('killed after 202, before the relay: the event is published after restart', async (t) => {
  const first = await startServer({ OUTBOX_RELAY_ENABLED: 'false' })
  const event = { id: randomUUID(), type: 'like', userId: 'user-crash', itemId: 'item-crash' }
  const res = await fetch(`${first.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_PUBLIC_KEY}` },
    body: JSON.stringify({ events: [event] }),
  })
  t.equal(res.status, 202)
  await first.stop('SIGKILL')

  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  const waiting = await client.query('select count(*)::int as n from profiling.outbox')
  t.equal(waiting.rows[0].n, 1, 'the event waited in the outbox when the process died')

  const seen: string[] = []
  await inspector.subscribe({
    groupId: `${prefix}.inspector`,
    topics: [topicName(prefix, Topics.interactions)],
    handleBatch: async (m) => void seen.push(...m.map((x) => x.value)),
  })
  const second = await startServer({})
  await waitFor(() => seen.some((v) => v.includes(event.id)), { timeoutMs: 60_000, what: 'the event on Kafka after restart' })
  const left = await client.query('select count(*)::int as n from profiling.outbox')
  t.equal(left.rows[0].n, 0)
  await client.end()

  t.equal(await second.stop('SIGTERM'), 0, 'SIGTERM shuts down cleanly')
  t.match(second.output(), /service stopped/)
})

t.test('a bad configuration value stops the process with one line naming it', async (t) => {
  const child = spawn(process.execPath, [server], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  t.equal(await exitCode(child), 1)
  t.match(err.trim(), /^invalid configuration: PORT .*"eighty"/)
  t.equal(err.trim().split('\n').length, 1)
})
