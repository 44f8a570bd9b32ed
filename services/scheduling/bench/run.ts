// Scheduling benchmark, in one run (bounded: each part has a deadline):
//  1. planning a best-time campaign for BENCH_USERS (default 100,000) users of a segment, with
//     quiet hours, caps, opt-ins and the activity model — target under 10 s;
//  2. the dispatcher sending BENCH_DELIVERIES (default 20,000) signed webhooks to a local receiver
//     in its own process — target at least 2,000 deliveries/s;
//  3. the offline replay of the activity model against its baselines.
import { execFileSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { openDatabase, seededRandom } from '@attune/kit'
import { asAdmin, createTestDatabase, startNodeProcess, startTestService, waitFor } from '@attune/kit/testing'
import { scheduling } from '../src/app.ts'
import { seedAudience } from './seed.ts'

const users = Number(process.env.BENCH_USERS ?? 100_000)
const deliveries = Number(process.env.BENCH_DELIVERIES ?? 20_000)
const now = new Date()

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const receiver = await startNodeProcess(join(import.meta.dirname, 'receiver.ts'), {}, /listening (\d+)/)
const receiverUrl = `http://127.0.0.1:${receiver.match[1]}/hook`
let exitCode = 0
try {
  // 1. Planning.
  const planner = await startTestService(scheduling, {
    database,
    env: { DISPATCH_ENABLED: 'false', DELIVERY_WEBHOOK_URL: receiverUrl, BODY_LIMIT_BYTES: '10485760', DATABASE_POOL_MAX: '10' },
  })
  const seedStart = performance.now()
  const segmentId = await seedAudience(planner.context.db, planner.context.schema, users, seededRandom(1), now)
  const seedSeconds = (performance.now() - seedStart) / 1000
  const planStart = performance.now()
  const r = await planner.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: asAdmin,
    payload: {
      name: 'Bench',
      channel: 'push',
      content: { text: 'Tonight’s stories' },
      audience: { segmentId },
      strategy: 'best_time',
      window: { end: new Date(now.getTime() + 86_400_000).toISOString() },
      holdoutShare: 0.1,
    },
  })
  const planSeconds = (performance.now() - planStart) / 1000
  if (r.statusCode !== 201) throw new Error(`planning failed: ${r.statusCode} ${r.body}`)
  const planned = r.json().deliveries
  const report = (await planner.app.inject({ url: `/v1/campaigns/${r.json().campaignId}/report`, headers: asAdmin })).json()
  // The planned campaign is not part of the dispatch run.
  await planner.context.db.deleteFrom('deliveries').execute()
  await planner.close()

  // 2. Dispatch: fixed-time campaigns due now (10,000 users each), sent by one dispatcher.
  const sender = await startTestService(scheduling, {
    database,
    start: false,
    env: {
      DELIVERY_WEBHOOK_URL: receiverUrl,
      DELIVERY_WEBHOOK_SECRET: 'bench-secret-0123456789abcdef',
      DISPATCH_BATCH_SIZE: '1000',
      DISPATCH_CONCURRENCY: '128',
      DISPATCH_POLL_MS: '50',
      BODY_LIMIT_BYTES: '10485760',
      OUTBOX_BATCH_SIZE: '5000',
    },
  })
  let total = 0
  for (let i = 0; i < deliveries; i += 10_000) {
    const userIds = Array.from({ length: Math.min(10_000, deliveries - i) }, (_, k) => `bench-${i + k}`)
    const c = await sender.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: asAdmin,
      payload: {
        name: `Dispatch bench ${i}`,
        channel: 'in_app',
        content: { text: 'hi' },
        audience: { userIds },
        strategy: 'fixed',
        sendAt: new Date().toISOString(),
      },
    })
    if (c.statusCode !== 201) throw new Error(`dispatch campaign failed: ${c.statusCode} ${c.body}`)
    total += c.json().deliveries.scheduled as number
  }
  const db = sender.context.db
  // Deliveries moved out of quiet hours are not due yet: the run waits for those due now.
  const dueRow = await sender.context.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'scheduled')
    .where('dueAt', '<=', new Date())
    .executeTakeFirstOrThrow()
  const due = Number(dueRow.n)
  const sendStart = performance.now()
  await sender.start()
  await waitFor(
    async () => {
      const row = await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'sent')
        .executeTakeFirstOrThrow()
      return Number(row.n) >= due
    },
    { timeoutMs: 300_000, intervalMs: 100, what: 'all deliveries sent' },
  )
  const sendSeconds = (performance.now() - sendStart) / 1000
  const sentRow = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow()
  await sender.close()

  // 3. Replay.
  const replay = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'src', 'evaluation', 'cli.ts'), '--users', '2000'], { encoding: 'utf8' })

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  process.stdout.write(`\nscheduling bench on ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Postgres local\n\n`)
  process.stdout.write(`planning: ${users} users seeded in ${seedSeconds.toFixed(1)} s\n`)
  process.stdout.write(
    `  best-time campaign with guards planned in ${planSeconds.toFixed(2)} s (${Math.round(users / planSeconds)} users/s; target < 10 s): ${planned.scheduled} scheduled, ${planned.skipped} skipped\n`,
  )
  process.stdout.write(
    `  guards: ${report.guards.map((g: { guard: string; action: string; deliveries: number }) => `${g.guard} ${g.action} ${g.deliveries}`).join(', ')}\n`,
  )
  process.stdout.write(
    `dispatch: ${Number(sentRow.n)} signed webhooks (${due} due now of ${total} planned; the rest moved out of quiet hours) in ${sendSeconds.toFixed(2)} s = ${Math.round(Number(sentRow.n) / sendSeconds)} deliveries/s (target ≥ 2,000)\n\n`,
  )
  process.stdout.write(replay)
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  exitCode = 1
} finally {
  process.stdout.write(`receiver: ${(await receiver.stop()) === 0 ? 'stopped' : 'exited'}\n`)
  await database.close()
  await pg.drop()
}
process.exit(exitCode)
