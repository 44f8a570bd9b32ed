// The dispatcher on real Postgres and Kafka: two replicas never send the same delivery twice and
// never early; signed webhooks with idempotency keys; failures retry with backoff then land in
// `failed` with the error; outcomes are published on attune.deliveries.
import type { AnyEvent } from '@attune/contracts'
import { KafkaBus, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import pino from 'pino'
import t from 'tap'
import { scheduling } from '../../src/app.ts'
import { startReceiver, WEBHOOK_SECRET } from '../helpers.ts'

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const newBus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
const receiver = await startReceiver({
  delayMs: 3,
  respond: (path, attempt) => (path === '/fail' ? 500 : path === '/flaky' && attempt < 3 ? 503 : 200),
})
const env = {
  KAFKA_TOPIC_PREFIX: prefix,
  DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET,
  DELIVERY_WEBHOOK_URL: `${receiver.url}/ok`,
  DISPATCH_POLL_MS: '20',
  DISPATCH_BATCH_SIZE: '40',
  DISPATCH_CONCURRENCY: '8',
  DISPATCH_RETRY_BASE_MS: '100',
  DISPATCH_MAX_ATTEMPTS: '3',
}
// Two replicas on one database: both run the dispatcher.
const a = await startTestService(scheduling, { database, bus: newBus('sched-a'), env })
const b = await startTestService(scheduling, { database, bus: newBus('sched-b'), env })
const db = a.context.db

const seen: AnyEvent[] = []
const watcher = newBus('watcher')
const watch = await watcher.subscribe({
  groupId: `${prefix}.watcher`,
  topics: [`${prefix}.deliveries`],
  handleBatch: async (messages) => {
    for (const m of messages) seen.push(JSON.parse(m.value) as AnyEvent)
  },
})
t.teardown(async () => {
  await watch.stop()
  await watcher.close()
  await a.close()
  await b.close()
  await receiver.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})

const create = async (payload: object) => {
  const r = await a.app.inject({ method: 'POST', url: '/v1/campaigns', headers: asAdmin, payload })
  if (r.statusCode !== 201) throw new Error(r.body)
  return r.json().campaignId as string
}
const statuses = async (campaignId: string) =>
  db.selectFrom('deliveries').select(['deliveryId', 'status', 'attempts', 'lastError', 'sentAt', 'sendAt']).where('campaignId', '=', campaignId).execute()

t.test('two dispatchers: every delivery once, none before its time, signed, published', async (t) => {
  const users = Array.from({ length: 400 }, (_, i) => `user-${i}`)
  const sendAt = new Date(Date.now() + 1500)
  const id = await create({
    name: 'Now-ish',
    channel: 'in_app',
    content: { text: 'hi' },
    audience: { userIds: users },
    strategy: 'fixed',
    sendAt: sendAt.toISOString(),
  })
  await waitFor(async () => (await statuses(id)).every((d) => d.status === 'sent'), { timeoutMs: 30_000, what: 'all sent' })
  const mine = receiver.received.filter((r) => r.path === '/ok')
  t.equal(mine.length, 400, 'each delivery received exactly once')
  t.equal(new Set(mine.map((r) => r.idempotencyKey)).size, 400)
  t.ok(
    mine.every((r) => r.idempotencyKey === r.deliveryId && r.signed),
    'idempotency key = delivery id; HMAC verifies',
  )
  t.ok(
    mine.every((r) => r.at.getTime() >= sendAt.getTime()),
    'none early',
  )
  t.ok(
    mine.every((r) => r.body.content.text === 'hi' && r.body.scheduledFor === sendAt.toISOString()),
    'payload carries content and time',
  )
  await waitFor(() => seen.filter((e) => e.type === 'delivery.sent').length >= 400, { timeoutMs: 20_000, what: 'delivery.sent events' })
  const sent = seen.filter((e) => e.type === 'delivery.sent').map((e) => e.data as { deliveryId: string; attempts: number; campaignId: string })
  t.equal(new Set(sent.map((s) => s.deliveryId)).size, 400)
  t.ok(sent.every((s) => s.campaignId === id && s.attempts === 1))
})

t.test('a future delivery is not sent early', async (t) => {
  const id = await create({
    name: 'Later',
    channel: 'in_app',
    content: { text: 'later' },
    audience: { userIds: ['later-1'] },
    strategy: 'fixed',
    sendAt: new Date(Date.now() + 3_600_000).toISOString(),
  })
  // Both dispatchers poll every 20 ms; give them several rounds (observed, not timed: wait for a later campaign to be sent first).
  const probe = await create({
    name: 'Probe',
    channel: 'in_app',
    content: { text: 'p' },
    audience: { userIds: ['probe-1'] },
    strategy: 'fixed',
    sendAt: new Date().toISOString(),
  })
  await waitFor(async () => (await statuses(probe))[0]?.status === 'sent', { what: 'probe sent' })
  t.equal((await statuses(id))[0]?.status, 'scheduled')
})

t.test('webhook failures retry with backoff, then land in failed with the error', async (t) => {
  const failing = await create({
    name: 'Broken endpoint',
    channel: 'in_app',
    content: { text: 'x' },
    audience: { userIds: ['f1', 'f2'] },
    strategy: 'fixed',
    sendAt: new Date().toISOString(),
    webhookUrl: `${receiver.url}/fail`,
  })
  const flaky = await create({
    name: 'Flaky endpoint',
    channel: 'in_app',
    content: { text: 'y' },
    audience: { userIds: ['k1'] },
    strategy: 'fixed',
    sendAt: new Date().toISOString(),
    webhookUrl: `${receiver.url}/flaky`,
  })
  await waitFor(async () => (await statuses(failing)).every((d) => d.status === 'failed'), { timeoutMs: 20_000, what: 'failed' })
  for (const d of await statuses(failing)) {
    t.match(d, { status: 'failed', attempts: 3, lastError: /^HTTP 500: .*receiver says no/ })
    const calls = receiver.received.filter((r) => r.deliveryId === d.deliveryId)
    t.equal(calls.length, 3, 'three attempts, same key')
    t.ok(calls.every((c) => c.idempotencyKey === d.deliveryId))
    // Backoff: 100 ms then 200 ms at least between attempts.
    const gaps = calls.slice(1).map((c, i) => c.at.getTime() - (calls[i]?.at.getTime() ?? 0))
    t.ok((gaps[0] ?? 0) >= 90 && (gaps[1] ?? 0) >= 190, `backoff gaps ${gaps}`)
  }
  await waitFor(async () => (await statuses(flaky))[0]?.status === 'sent', { timeoutMs: 20_000, what: 'flaky sent' })
  t.match((await statuses(flaky))[0], { status: 'sent', attempts: 3 })
  await waitFor(() => seen.filter((e) => e.type === 'delivery.failed').length >= 2, { what: 'delivery.failed events' })
  t.match(seen.find((e) => e.type === 'delivery.failed')?.data, { campaignId: failing, attempts: 3, error: /HTTP 500/ })
  const delivery = (await a.app.inject({ url: `/v1/campaigns/${failing}/deliveries?status=failed`, headers: asAdmin })).json()
  t.equal(delivery.deliveries.length, 2)
})
