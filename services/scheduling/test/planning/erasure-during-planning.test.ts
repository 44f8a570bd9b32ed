// Campaigns created or rescheduled while one of their recipients is erased, on real Postgres: no
// delivery of the erased user outlives the erasure (the erasure is run with the kit's own pieces,
// as its erasure consumer runs them). Each write is held at a lock the test takes, so the erasure
// runs at the moment that used to let deliveries through.
import { randomUUID } from 'node:crypto'
import { erasureLockKey, type KitTables, lockForErasure, recordErasedSubjects } from '@attune/kit'
import { asAdmin, holdInTransaction, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import t from 'tap'
import { schedulingService } from '../../src/app.ts'
import type { SchedulingDb } from '../../src/db.ts'
import { eraseUser } from '../../src/store/erase-user.ts'

const { service } = await startTestServiceOnNewDatabase(t, schedulingService(), {
  env: { DELIVERY_WEBHOOK_URL: 'http://127.0.0.1:9/hook', DISPATCH_ENABLED: 'false' },
})
const { app, context } = service
const db = context.db
const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: asAdmin, payload })
const HOUR = 3_600_000

/** Erases users as the kit's erasure consumer does: lock, tombstones (asked for now), the service's hook; committed. */
async function erase(userIds: string[]): Promise<void> {
  await (db as unknown as Kysely<KitTables>).transaction().execute(async (trx) => {
    await lockForErasure(trx, erasureLockKey(context.schema))
    await recordErasedSubjects(trx, userIds, new Date())
    for (const id of userIds) await eraseUser(trx as unknown as Transaction<SchedulingDb>, id)
  })
}

/** Holds what `take` locks in a transaction of its own until the returned call (which rolls it back). */
const hold = (take: RawBuilder<unknown>) => holdInTransaction(db, (trx) => take.execute(trx))

/** Sessions of this database waiting for a lock. */
const waiting = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db))
    .rows[0]?.n ?? 0

const deliveriesOf = async (userId: string) =>
  Number(
    (
      await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', userId)
        .executeTakeFirstOrThrow()
    ).n,
  )

const window = () => ({ end: new Date(Date.now() + 24 * HOUR).toISOString() })

const create = (audience: object) =>
  post('/v1/campaigns', { name: 'Held', channel: 'in_app', content: { text: 'hi' }, audience, strategy: 'best_time', window: window() })

/** Holds the planning lock (a planning transaction waits at it), then erases `userIds` meanwhile: returns once the erasure waits or is done, and a call letting both go on. */
async function eraseWhilePlanning<T>(userIds: string[], write: () => Promise<T>) {
  const free = await hold(sql`select pg_advisory_xact_lock(hashtext('attune.scheduling.plan'))`)
  const writing = write()
  await waitFor(async () => (await waiting()) === 1, { what: 'the write to wait for the planning lock' })
  let erased = false
  const erasing = erase(userIds).then(() => {
    erased = true
  })
  await waitFor(async () => erased || (await waiting()) === 2, { what: 'the erasure to wait or be done' })
  await free()
  return { writing, erasing }
}

/**
 * Creates a best-time campaign held after it read its audience and recipients (the audience
 * activity it reads last is locked), erases `erased` meanwhile, then lets it go on.
 */
async function createWhileErasing(audience: object, erased: string[]) {
  const free = await hold(sql`lock table ${sql.id(context.schema, 'audience_activity')} in access exclusive mode`)
  const creating = create(audience)
  await waitFor(async () => (await waiting()) === 1, { what: 'the creation to wait for the audience activity' })
  await erase(erased)
  await free()
  return creating
}

/** A new segment with these members (as scheduling mirrors them); its id. */
async function segmentOf(userIds: string[]): Promise<string> {
  const segmentId = randomUUID()
  await db
    .insertInto('userSegments')
    .values(userIds.map((userId) => ({ userId, segmentId, since: new Date() })))
    .execute()
  return segmentId
}

t.test('a segment campaign created while a member is erased plans nothing for them', async (t) => {
  const [gone, stays] = [`seg-gone-${randomUUID()}`, `seg-stays-${randomUUID()}`]
  const segmentId = await segmentOf([gone, stays])
  const r = await createWhileErasing({ segmentId }, [gone])
  t.equal(r.statusCode, 201, r.body)
  t.equal(await deliveriesOf(gone), 0, 'the erased member (read before the erasure) has no delivery')
  t.equal(await deliveriesOf(stays), 1)
})

t.test('a segment campaign being planned when a member is erased: the erasure waits, then deletes their delivery', async (t) => {
  const [gone, stays] = [`plan-gone-${randomUUID()}`, `plan-stays-${randomUUID()}`]
  const segmentId = await segmentOf([gone, stays])
  const { writing, erasing } = await eraseWhilePlanning([gone], () => create({ segmentId }))
  const [r] = await Promise.all([writing, erasing])
  t.equal(r.statusCode, 201, r.body)
  t.equal(await deliveriesOf(gone), 0, 'the erased member has no delivery')
  t.equal(await deliveriesOf(stays), 1)
})

t.test('a campaign to a user list created while one of them is erased plans nothing for them, nor lists them', async (t) => {
  const [gone, stays] = [`list-gone-${randomUUID()}`, `list-stays-${randomUUID()}`]
  const r = await createWhileErasing({ userIds: [gone, stays] }, [gone])
  t.equal(r.statusCode, 201, r.body)
  t.equal(await deliveriesOf(gone), 0, 'the erased user has no delivery')
  t.equal(await deliveriesOf(stays), 1)
  t.same(r.json().audience, { userIds: [stays] }, 'the stored list no longer names them')
})

t.test('a user named by a list after their erasure was asked for is new: planned', async (t) => {
  const back = `list-back-${randomUUID()}`
  await erase([back])
  const r = await create({ userIds: [back] })
  t.equal(r.statusCode, 201, r.body)
  t.equal(await deliveriesOf(back), 1)
})

t.test('a reschedule while a recipient is erased leaves no delivery of theirs', async (t) => {
  const [gone, stays] = [`re-gone-${randomUUID()}`, `re-stays-${randomUUID()}`]
  const created = await post('/v1/campaigns', {
    name: 'Moved',
    channel: 'in_app',
    content: { text: 'hi' },
    audience: { userIds: [gone, stays] },
    strategy: 'best_time',
    window: window(),
  })
  t.equal(created.statusCode, 201, created.body)
  t.equal(await deliveriesOf(gone), 1)
  // The planning lock held: the reschedule has taken the old deliveries and waits to insert the new ones; the
  // erasure waits too, for the erasure lock the reschedule shares (without it, for the deliveries it took).
  const end = new Date(Date.now() + 48 * HOUR).toISOString()
  const { writing, erasing } = await eraseWhilePlanning([gone], () => post(`/v1/campaigns/${created.json().campaignId}/reschedule`, { window: { end } }))
  const [moved] = await Promise.all([writing, erasing])
  t.equal(moved.statusCode, 200, moved.body)
  t.equal(await deliveriesOf(gone), 0, 'the erased user has no delivery')
  t.equal(await deliveriesOf(stays), 1)
})
