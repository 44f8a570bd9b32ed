// A dispatcher killed (SIGKILL) in the middle of sending loses nothing: the deliveries it had
// claimed stay leased until the lease ends, then a second process sends them (at-least-once, with
// the same idempotency keys); every delivery ends `sent`.
import { join } from 'node:path'
import { openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, freePort, startNodeProcess, startTestService, TEST_API_KEYS, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { scheduling } from '../../src/app.ts'
import { startReceiver, WEBHOOK_SECRET } from '../helpers.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const receiver = await startReceiver({ delayMs: 40 })
// Plans campaigns only; the child processes dispatch.
const planner = await startTestService(scheduling, { database, env: { DISPATCH_ENABLED: 'false', DELIVERY_WEBHOOK_URL: `${receiver.url}/hook` } })
const db = planner.context.db
const server = join(import.meta.dirname, '..', '..', 'src', 'server.ts')
const childEnv = async () => ({
  DATABASE_URL: pg.url,
  ATTUNE_API_KEYS: TEST_API_KEYS,
  PORT: String(await freePort()),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  DELIVERY_WEBHOOK_SECRET: WEBHOOK_SECRET,
  DISPATCH_POLL_MS: '20',
  DISPATCH_BATCH_SIZE: '25',
  DISPATCH_CONCURRENCY: '5',
  // The killed process's batch is claimed again once its lease ends.
  DISPATCH_LEASE_MS: '1500',
})
const children: { stop: (s?: NodeJS.Signals) => Promise<number | null> }[] = []
t.teardown(async () => {
  for (const c of children) await c.stop('SIGKILL')
  await planner.close()
  await receiver.close()
  await database.close()
  await pg.drop()
})

t.test('killed mid-batch: nothing lost, every delivery sent', async (t) => {
  const users = Array.from({ length: 200 }, (_, i) => `crash-${i}`)
  const r = await planner.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: asAdmin,
    payload: {
      name: 'Crash test',
      channel: 'in_app',
      content: { text: 'hi' },
      audience: { userIds: users },
      strategy: 'fixed',
      sendAt: new Date().toISOString(),
    },
  })
  t.equal(r.statusCode, 201)
  const ids = (await db.selectFrom('deliveries').select('deliveryId').execute()).map((d) => d.deliveryId)
  t.equal(ids.length, 200)

  const e1 = await childEnv()
  const first = await startNodeProcess(server, e1, async () => (await fetch(`http://127.0.0.1:${e1.PORT}/health/ready`)).status === 200)
  children.push(first)
  // Let it get into the work, then kill it while a batch is in flight.
  await waitFor(() => receiver.received.length >= 40, { timeoutMs: 30_000, what: 'first process sending' })
  await first.stop('SIGKILL')
  const byFirst = receiver.received.length
  const sentBefore = await db.selectFrom('deliveries').select('deliveryId').where('status', '=', 'sent').execute()
  t.ok(sentBefore.length < 200, `killed before the end (${sentBefore.length} committed, ${byFirst} received)`)
  t.ok(byFirst >= sentBefore.length, 'every committed send was received')

  const e2 = await childEnv()
  const second = await startNodeProcess(server, e2, async () => (await fetch(`http://127.0.0.1:${e2.PORT}/health/ready`)).status === 200)
  children.push(second)
  await waitFor(async () => (await db.selectFrom('deliveries').select('deliveryId').where('status', '=', 'sent').execute()).length === 200, {
    timeoutMs: 60_000,
    what: 'all sent after restart',
  })
  const got = new Set(receiver.received.map((x) => x.idempotencyKey))
  t.same(
    ids.filter((id) => !got.has(id)),
    [],
    'no delivery lost',
  )
  const duplicates = receiver.received.length - got.size
  t.ok(duplicates <= 25, `redelivered only what was in flight at the kill (${duplicates}), with the same idempotency keys`)
  t.equal((await db.selectFrom('deliveries').select('deliveryId').where('status', '!=', 'sent').execute()).length, 0)
})
