// What dropping events about erased ids costs a consumer, in one run, bounded in time: the same
// batch of interaction events (500 over 300 users and 300 anonymous ids) applied in a transaction
// that writes its inbox rows, as the consumer runner does, with and without
// `withoutErasedSubjects` (its shared advisory lock and the tombstone lookup), the two
// alternating; 10,000 tombstones present. Two cases: live events (dated after every erasure, the
// usual one) and a backlog (events an hour old, all 10,000 erasures since: the lookup by the
// batch's ids). Needs TEST_DATABASE_URL (a Postgres it may create a database on). BENCH_ROUNDS
// (default 200 a case).
import { cpus } from 'node:os'
import { EventTypes } from '@attune/contracts'
import { erasureLockKey, type KitTables, kitMigrations, makeEvent, migrateSchema, openDatabase, recordErasedSubjects, withoutErasedSubjects } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'

const rounds = Number(process.env.BENCH_ROUNDS ?? 200)
const batchSize = 500
const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
try {
  await migrateSchema(database, 'bench', kitMigrations)
  const db = database.root.withSchema('bench') as unknown as Kysely<KitTables>
  const erased = Array.from({ length: 10_000 }, (_, i) => `erased-${i}`)
  await db.transaction().execute((trx) => recordErasedSubjects(trx, erased, new Date()))
  // As autovacuum would have by then: the planner knows the table.
  await sql`analyze bench.erased_subjects`.execute(database.root)
  let age = 0
  const batch = () =>
    Array.from({ length: batchSize }, (_, i) => {
      const userId = `user-${i % 300}`
      const interaction = { id: crypto.randomUUID(), type: 'view', userId, anonymousId: `anon-${i % 300}`, itemId: `item-${i}` }
      const at = new Date(Date.now() - age)
      return makeEvent({ ...EventTypes.interactionRecorded, source: 'bench', subject: userId, data: { interaction, receivedAt: at.toISOString() } }, at)
    })
  const apply = async (filter: boolean) => {
    const events = batch()
    const t0 = process.hrtime.bigint()
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('inbox')
        .values(events.map((e) => ({ consumer: 'bench', eventId: e.id, status: 'processed' as const, error: null })))
        .execute()
      if (filter) await withoutErasedSubjects(trx, events, erasureLockKey('bench'))
    })
    return Number(process.hrtime.bigint() - t0) / 1e3
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
  const measure = async () => {
    for (let i = 0; i < 20; i++) await apply(i % 2 === 0)
    const without: number[] = []
    const withFilter: number[] = []
    const deadline = Date.now() + 30_000
    for (let i = 0; i < rounds && Date.now() < deadline; i++) {
      // Alternating which goes first, so both see the same state of the machine and the table.
      if (i % 2 === 0) {
        without.push(await apply(false))
        withFilter.push(await apply(true))
      } else {
        withFilter.push(await apply(true))
        without.push(await apply(false))
      }
    }
    return {
      rounds: without.length,
      inboxOnlyMedianUs: Math.round(median(without)),
      withFilterMedianUs: Math.round(median(withFilter)),
      addedPerEventUs: Number(((median(withFilter) - median(without)) / batchSize).toFixed(2)),
      ratio: Number((median(withFilter) / median(without)).toFixed(3)),
    }
  }
  const live = await measure()
  age = 3_600_000
  const backlog = await measure()
  const result = { batchSize, live, backlog, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' }
  const line = (name: string, r: typeof live) =>
    `${name}: a batch of ${batchSize} with its inbox rows ${r.inboxOnlyMedianUs} µs, with the erased-ids filter ${r.withFilterMedianUs} µs (+${r.addedPerEventUs} µs an event, ×${r.ratio}; medians of ${r.rounds})`
  process.stdout.write(`${line('live events', live)}\n${line('a backlog', backlog)}\n${JSON.stringify(result)}\n`)
} finally {
  await database.close()
  await pg.drop()
}
