// The dispatcher holds no transaction and no row lock while it calls webhooks: it leases the
// deliveries it claims, sends outside any transaction and records the outcomes under its lease. A
// claimer that dies leaves its lease to run out, then the deliveries are claimed again (or
// cancelled, if their campaign was cancelled meanwhile). Real Postgres, a fixed clock.
import { MemoryBus, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, recordingStatements, startTestService, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { schedulingService } from '../../src/app.ts'
import { createDispatcher } from '../../src/dispatch/dispatcher.ts'
import { webhookClient } from '../../src/dispatch/webhook-client.ts'
import { claimDue, recordOutcomes } from '../../src/store/dispatch-store.ts'
import { startReceiver, WEBHOOK_SECRET } from '../helpers.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
// Answers after 1.5 s: long enough to look at the rows while the webhooks are in flight.
const receiver = await startReceiver({ delayMs: 1500 })
let now = new Date('2026-11-25T09:00:00Z')
const service = await startTestService(schedulingService(), {
  database,
  bus: new MemoryBus({ retryDelayMs: 10 }),
  clock: () => now,
  env: { DELIVERY_WEBHOOK_URL: `${receiver.url}/ok`, DISPATCH_ENABLED: 'false' },
})
const ctx = service.context
const db = ctx.db
const client = webhookClient({ secret: WEBHOOK_SECRET, timeoutMs: 10_000, maxSockets: 8, clock: () => now })
const LEASE_MS = 60_000
const dispatcher = createDispatcher(ctx, client, {
  batchSize: 50,
  concurrency: 8,
  maxAttempts: 3,
  retryBaseMs: 1000,
  leaseMs: LEASE_MS,
  defaultTimeZone: 'UTC',
})
t.teardown(async () => {
  client.close()
  await service.close()
  await receiver.close()
  await database.close()
  await pg.drop()
})

async function campaignNow(name: string, userIds: string[]): Promise<string> {
  const r = await service.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: asAdmin,
    payload: { name, channel: 'in_app', content: { text: name }, audience: { userIds }, strategy: 'fixed', sendAt: now.toISOString() },
  })
  if (r.statusCode !== 201) throw new Error(r.body)
  return r.json().campaignId as string
}
const rowsOf = (campaignId: string) =>
  db.selectFrom('deliveries').select(['deliveryId', 'userId', 'status', 'claimedUntil']).where('campaignId', '=', campaignId).orderBy('userId').execute()

t.test('while the webhooks are in flight the rows are leased, not locked', async (t) => {
  const id = await campaignNow('In flight', ['a1', 'a2', 'a3'])
  const run = dispatcher.runOnce()
  await waitFor(() => receiver.received.filter((r) => r.body.userId.startsWith('a')).length === 3, { what: 'three webhooks in flight' })
  const held = await rowsOf(id)
  t.ok(
    held.every((d) => d.status === 'scheduled' && d.claimedUntil?.getTime() === now.getTime() + LEASE_MS),
    'scheduled and leased while being sent',
  )
  // Another transaction can lock them at once: the dispatcher holds no row lock (and no transaction).
  const locked = await ctx.transaction((trx) => trx.selectFrom('deliveries').select('deliveryId').where('campaignId', '=', id).forUpdate().noWait().execute())
  t.equal(locked.length, 3)
  t.match(await dispatcher.runOnce(), { claimed: 0 }, 'a second claim passes over leased rows')
  const cancel = await service.app.inject({ method: 'POST', url: `/v1/deliveries/${held[0]?.deliveryId}/cancel`, headers: asAdmin })
  t.equal(cancel.statusCode, 409, 'a delivery being sent finishes first')
  t.match(cancel.headers['content-type'], /application\/problem\+json/)
  t.match(cancel.json().detail, /being sent/)
  t.match(await run, { claimed: 3, sent: 3 })
  t.ok(
    (await rowsOf(id)).every((d) => d.status === 'sent' && d.claimedUntil === null),
    'sent, lease ended',
  )
})

t.test('a dead claimer: its lease runs out, the deliveries are sent once more, its late record is ignored', async (t) => {
  const id = await campaignNow('Orphaned', ['b1', 'b2'])
  const deadLease = new Date(now.getTime() + LEASE_MS)
  const orphaned = await claimDue(db, ctx.schema, now, 50, deadLease)
  t.equal(orphaned.length, 2, 'claimed by a dispatcher that then dies')
  t.match(await dispatcher.runOnce(), { claimed: 0 }, 'not claimable while the lease lasts')
  now = new Date(deadLease.getTime() + 1000)
  t.match(await dispatcher.runOnce(), { claimed: 2, sent: 2 })
  t.equal(receiver.received.filter((r) => r.body.userId.startsWith('b')).length, 2)
  // The dead claimer's outcome, arriving late, no longer owns the rows.
  const late = await recordOutcomes(
    db,
    ctx.schema,
    orphaned.map((d) => ({
      deliveryId: d.deliveryId,
      status: 'failed',
      attempts: 9,
      dueAt: now,
      sendAt: d.sendAt,
      lastError: 'late',
      sentAt: null,
      notes: d.notes,
    })),
    now,
    deadLease,
  )
  t.equal(late.size, 0)
  t.ok((await rowsOf(id)).every((d) => d.status === 'sent'))
})

t.test('a campaign cancelled while its deliveries were held by a dead claimer: cancelled at the next claim', async (t) => {
  const id = await campaignNow('Cancelled meanwhile', ['c1', 'c2'])
  const deadLease = new Date(now.getTime() + LEASE_MS)
  await claimDue(db, ctx.schema, now, 50, deadLease)
  const cancel = await service.app.inject({ method: 'POST', url: `/v1/campaigns/${id}/cancel`, headers: asAdmin })
  t.match(cancel.json(), { status: 'cancelled', deliveries: { scheduled: 2 } }, 'held deliveries are left to their sender')
  now = new Date(deadLease.getTime() + 1000)
  t.match(await dispatcher.runOnce(), { claimed: 0 })
  t.ok((await rowsOf(id)).every((d) => d.status === 'cancelled'))
  t.equal(receiver.received.filter((r) => r.body.userId.startsWith('c')).length, 0, 'nothing sent')
})

t.test('a poll with nothing due is one read: no transaction, no lock, no claim', async (t) => {
  const { db: counted, kinds: statements } = recordingStatements(db)
  const later = new Date(now.getTime() + 3_600_000)
  await service.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: asAdmin,
    payload: { name: 'Later', channel: 'in_app', content: { text: 'later' }, audience: { userIds: ['d1'] }, strategy: 'fixed', sendAt: later.toISOString() },
  })
  t.same(await claimDue(counted, ctx.schema, now, 50, new Date(now.getTime() + LEASE_MS)), [])
  t.equal(statements.length, 1, 'nothing due: the read alone')
  statements.length = 0
  const claimed = await claimDue(counted, ctx.schema, later, 50, new Date(later.getTime() + LEASE_MS))
  t.same(
    claimed.map((d) => d.userId),
    ['d1'],
  )
  t.equal(statements.length, 3, 'something due: the read, the lock and the claim')
  statements.length = 0
  t.same(await claimDue(counted, ctx.schema, later, 50, new Date(later.getTime() + LEASE_MS), { lookFirst: false }), [])
  t.equal(statements.length, 2, 'after a full batch: the lock and the claim, no read first')
})
