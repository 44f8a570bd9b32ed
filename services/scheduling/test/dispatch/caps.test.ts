// Frequency caps are checked again at dispatch, against what was actually sent: deliveries planned
// before the cap was set (or before another one went out) are skipped with the reason instead of
// going over it. Real Postgres, the profile stream through the bus, a fixed clock.
import type { AnyEvent } from '@attune/contracts'
import { MemoryBus, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, startTestService } from '@attune/kit/testing'
import t from 'tap'
import { schedulingService } from '../../src/app.ts'
import { createDispatcher } from '../../src/dispatch/dispatcher.ts'
import { webhookClient } from '../../src/dispatch/webhook-client.ts'
import { preferencesEvent, startReceiver, WEBHOOK_SECRET } from '../helpers.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const bus = new MemoryBus({ retryDelayMs: 10 })
const receiver = await startReceiver()
let now = new Date('2026-11-25T09:00:00Z')
const service = await startTestService(schedulingService(), {
  database,
  bus,
  clock: () => now,
  env: { DELIVERY_WEBHOOK_URL: `${receiver.url}/ok`, DISPATCH_ENABLED: 'false' },
})
const ctx = service.context
const client = webhookClient({ secret: WEBHOOK_SECRET, timeoutMs: 5000, maxSockets: 4, clock: () => now })
const dispatcher = createDispatcher(ctx, client, { batchSize: 50, concurrency: 4, maxAttempts: 3, retryBaseMs: 1000, leaseMs: 60_000, defaultTimeZone: 'UTC' })
t.teardown(async () => {
  client.close()
  await service.close()
  await receiver.close()
  await database.close()
  await pg.drop()
})

const past = new Date('2026-11-01T00:00:00Z')
async function setPreferences(events: AnyEvent[]) {
  await bus.publish(events.map((e) => ({ topic: 'attune.profiles', key: e.subject, value: JSON.stringify(e) })))
  await bus.idle()
}
async function pushNow(name: string, userIds: string[]): Promise<string> {
  const r = await service.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: asAdmin,
    payload: { name, channel: 'push', content: { text: name }, audience: { userIds }, strategy: 'fixed', sendAt: now.toISOString() },
  })
  if (r.statusCode !== 201) throw new Error(r.body)
  return r.json().campaignId as string
}
const deliveriesOf = (campaignIds: string[]) =>
  ctx.db.selectFrom('deliveries').select(['campaignId', 'userId', 'status', 'notes']).where('campaignId', 'in', campaignIds).orderBy('campaignId').execute()

t.test('two deliveries planned before a 1-a-day cap: one is sent, the other skipped saying why', async (t) => {
  await setPreferences([preferencesEvent('capped', past), preferencesEvent('free', past)])
  const first = await pushNow('Morning news', ['capped', 'free'])
  const second = await pushNow('Morning offer', ['capped', 'free'])
  t.match(await deliveriesOf([first, second]), [{ status: 'scheduled' }, { status: 'scheduled' }, { status: 'scheduled' }, { status: 'scheduled' }])
  // The user sets a cap after both were planned.
  await setPreferences([preferencesEvent('capped', new Date('2026-11-02T00:00:00Z'), { frequencyCaps: { push: { max: 1, per: 'day' } } })])
  const stats = await dispatcher.drain()
  t.match(stats, { claimed: 4, sent: 3, skipped: 1 })
  const rows = await deliveriesOf([first, second])
  const capped = rows.filter((d) => d.userId === 'capped')
  t.equal(capped.filter((d) => d.status === 'sent').length, 1, 'one push to the capped user')
  t.match(
    capped.find((d) => d.status === 'skipped'),
    { notes: [{ guard: 'frequency_cap', action: 'skipped', detail: 'at dispatch: 1 per day already used for 2026-11-25' }] },
  )
  t.ok(
    rows.filter((d) => d.userId === 'free').every((d) => d.status === 'sent'),
    'the uncapped user gets both',
  )
  t.equal(receiver.received.filter((r) => r.body.userId === 'capped').length, 1)
})

t.test('what was sent in an earlier batch counts; the next local day has room again', async (t) => {
  // Planned while the cap was off, dispatched once it is back on: 'capped' already got one today.
  await setPreferences([preferencesEvent('capped', new Date('2026-11-03T00:00:00Z'))])
  now = new Date('2026-11-25T15:00:00Z')
  const later = await pushNow('Afternoon', ['capped'])
  await setPreferences([preferencesEvent('capped', new Date('2026-11-04T00:00:00Z'), { frequencyCaps: { push: { max: 1, per: 'day' } } })])
  t.match(await dispatcher.drain(), { claimed: 1, sent: 0, skipped: 1 })
  t.match(await deliveriesOf([later]), [{ status: 'skipped', notes: [{ guard: 'frequency_cap', action: 'skipped', detail: /^at dispatch: 1 per day/ }] }])
  now = new Date('2026-11-26T08:00:00Z')
  const tomorrow = await pushNow('Tomorrow', ['capped'])
  t.match(await dispatcher.drain(), { claimed: 1, sent: 1, skipped: 0 })
  t.match(await deliveriesOf([tomorrow]), [{ status: 'sent' }])
})

t.test('two replicas dispatching at once do not both send past a cap', async (t) => {
  // One delivery a claim, so each replica takes one of the user's two: before claims were
  // serialized per user and channel, both checked the cap against nothing sent yet and both sent.
  // The sends wait until one replica's run is over, so the runs overlap whatever the machine's
  // timing: the replica that claims first is still sending when the other looks.
  let release = () => {}
  const sending = new Promise<void>((r) => {
    release = r
  })
  const held = {
    ...client,
    post: async (...args: Parameters<typeof client.post>) => {
      await sending
      return client.post(...args)
    },
  }
  const replica = () =>
    createDispatcher(ctx, held, { batchSize: 1, concurrency: 1, maxAttempts: 3, retryBaseMs: 1000, leaseMs: 60_000, defaultTimeZone: 'UTC' })
  const [a, b] = [replica(), replica()]
  now = new Date('2026-11-27T10:00:00Z')
  await setPreferences([preferencesEvent('raced', new Date('2026-11-05T00:00:00Z'))])
  const first = await pushNow('Raced one', ['raced'])
  const second = await pushNow('Raced two', ['raced'])
  // Capped once both are planned, so the cap is checked at dispatch only.
  await setPreferences([preferencesEvent('raced', new Date('2026-11-06T00:00:00Z'), { frequencyCaps: { push: { max: 1, per: 'day' } } })])
  const before = receiver.received.filter((r) => r.body.userId === 'raced').length
  const running = [a.runOnce(), b.runOnce()]
  // Both claiming (the bug) would hold both runs: give up waiting after a while, then let them send.
  await Promise.race([...running, new Promise((r) => setTimeout(r, 5000))])
  release()
  const [ra, rb] = await Promise.all(running)
  t.equal((ra?.claimed ?? 0) + (rb?.claimed ?? 0), 1, 'the second replica passes over the user while the first one sends')
  await Promise.all([a.drain(), b.drain()])
  const rows = await deliveriesOf([first, second])
  t.same(rows.map((d) => d.status).sort(), ['sent', 'skipped'])
  t.match(
    rows.find((d) => d.status === 'skipped'),
    { notes: [{ guard: 'frequency_cap', action: 'skipped', detail: 'at dispatch: 1 per day already used for 2026-11-27' }] },
  )
  t.equal(receiver.received.filter((r) => r.body.userId === 'raced').length - before, 1, 'one push reached the user')
})
