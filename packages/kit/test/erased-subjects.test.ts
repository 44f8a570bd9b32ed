// Tombstones of erased ids: an event about an erased user (or an anonymous id merged into them)
// that happened before the erasure and is consumed after it — another topic, a late partition, a
// redelivery — is dropped instead of bringing the user back; later events are new facts and pass.
// On real Postgres, including the locks that order an erasure against a consumer's batch.
import { type AnyEvent, EventTypes, Topics, topicName } from '@attune/contracts'
import {
  erasureLockKey,
  eventSubjects,
  expireErasedSubjects,
  hashUserId,
  type KitTables,
  lockForErasure,
  MemoryBus,
  makeEvent,
  openDatabase,
  recordErasedSubjects,
  type ServiceDefinition,
  withoutErasedSubjects,
} from '@attune/kit'
import { createTestDatabase, startTestService, waitFor } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'
import t from 'tap'

interface HolderDb extends KitTables {
  facts: { userId: string; eventId: string }
}

const record = (topic: typeof Topics.interactions | typeof Topics.profiles) => ({
  name: `record-${topic}`,
  topic,
  async handle(trx: Kysely<HolderDb>, events: AnyEvent[]) {
    const rows = events.flatMap((e) => eventSubjects(e).map((userId) => ({ userId, eventId: e.id })))
    await trx.insertInto('facts').values(rows).execute()
  },
})

const holder: ServiceDefinition<HolderDb> = {
  name: 'holder',
  version: '0.0.1',
  description: 'a service holding user data from events',
  tags: [],
  migrations: {
    '0001-create-facts': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('facts').addColumn('user_id', 'text').addColumn('event_id', 'text').execute()
      },
    },
  },
  routes() {},
  consumers: () => [record(Topics.interactions), record(Topics.profiles)],
  privacy: {
    async erase(trx, userId) {
      await trx.deleteFrom('facts').where('userId', '=', userId).execute()
    },
  },
}

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const bus = new MemoryBus({ retryDelayMs: 5 })
const service = await startTestService(holder, { database, bus })
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000)
const interaction = (subject: string, at: Date, data: Record<string, unknown> = {}) =>
  makeEvent({ ...EventTypes.interactionRecorded, source: 'profiling', subject, data: { userId: subject, ...data } }, at)
const publish = (topic: string, e: AnyEvent) =>
  bus.publish([{ topic: topicName('attune', topic as typeof Topics.interactions), key: e.subject, value: JSON.stringify(e) }])
const factsOf = async (ids: string[]) => (await db.selectFrom('facts').select('userId').where('userId', 'in', ids).execute()).map((r) => r.userId).sort()
const applied = (eventId: string) => db.selectFrom('facts').select('eventId').where('eventId', '=', eventId).executeTakeFirst()
const erasure = (userId: string, anonymousIds: string[], at: Date) =>
  makeEvent({ ...EventTypes.erasureRequested, source: 'profiling', subject: userId, data: { requestId: crypto.randomUUID(), userId, anonymousIds } }, at)
const confirmed = (requestId: string) =>
  bus.messages(topicName('attune', Topics.privacy)).some((m) => m.value.includes(requestId) && m.value.includes(EventTypes.erasureCompleted.type))

t.test('eventSubjects: the subject and the ids the data names, once each', async (t) => {
  const e = makeEvent({ ...EventTypes.profileUpdated, source: 'p', subject: 'u1', data: { userId: 'u1', mergedAnonymousId: 'a1', changed: [] } }, new Date())
  t.same(eventSubjects(e), ['u1', 'a1'])
  t.same(eventSubjects(interaction('a2', new Date(), { userId: undefined, anonymousId: 'a2' })), ['a2'])
  t.same(eventSubjects({ ...e, data: null }), ['u1'])
  const follow = { interaction: { type: 'follow', userId: 'u2', anonymousId: 'a2', targetType: 'user', targetId: 'u3' } }
  t.same(eventSubjects({ ...e, subject: 'u2', data: follow }), ['u2', 'a2', 'u3'], 'the ids of a recorded interaction, the followed user too')
  t.same(eventSubjects({ ...e, subject: 'u2', data: { interaction: { ...follow.interaction, targetType: 'author' } } }), ['u2', 'a2'], 'an author is no user')
})

t.test('an erasure names the merged anonymous ids: both are erased and tombstoned, as hashes only', async (t) => {
  const before = interaction('carol', minutesAgo(5), { anonymousId: 'anon-c' })
  const anonymous = interaction('anon-c', minutesAgo(6), { userId: undefined, anonymousId: 'anon-c' })
  await publish(Topics.interactions, anonymous)
  await publish(Topics.interactions, before)
  await waitFor(() => applied(before.id), { what: 'the events before the erasure' })
  const request = erasure('carol', ['anon-c'], minutesAgo(1))
  await publish(Topics.privacy, request)
  await waitFor(() => confirmed((request.data as { requestId: string }).requestId), { what: 'the confirmation' })
  t.same(await factsOf(['carol', 'anon-c']), [], 'the user and the anonymous id are erased')
  const tombstones = await db.selectFrom('erasedSubjects').selectAll().orderBy('subjectHash').execute()
  t.same(tombstones.map((r) => r.subjectHash).sort(), [hashUserId('carol'), hashUserId('anon-c')].sort())
  t.same(
    tombstones.map((r) => r.erasedAt.toISOString()),
    [request.time, request.time],
    'dated when the erasure was asked for',
  )
})

t.test('events about them dated before the erasure are dropped on every user topic; later ones pass', async (t) => {
  const late = interaction('carol', minutesAgo(3))
  const lateAnonymous = interaction('anon-c', minutesAgo(3), { userId: undefined, anonymousId: 'anon-c' })
  // A merge made before the erasure, consumed after it (profiles and privacy are different topics).
  const lateMerge = makeEvent(
    { ...EventTypes.profileUpdated, source: 'profiling', subject: 'carol', data: { userId: 'carol', changed: ['identity'], mergedAnonymousId: 'anon-c2' } },
    minutesAgo(2),
  )
  const newFact = interaction('carol', new Date(Date.now() + 1000))
  // Received after the erasure, about something that happened before it: collected since, new data
  // (profiling stores it too).
  const collectedSince = makeEvent(
    {
      ...EventTypes.interactionRecorded,
      source: 'profiling',
      subject: 'carol',
      data: { userId: 'carol', receivedAt: new Date(Date.now() + 500).toISOString() },
    },
    minutesAgo(3),
  )
  // Dated ahead by the client's clock, but received before the erasure.
  const aheadButReceived = makeEvent(
    { ...EventTypes.interactionRecorded, source: 'profiling', subject: 'carol', data: { userId: 'carol', receivedAt: minutesAgo(3).toISOString() } },
    new Date(Date.now() + 120_000),
  )
  const someoneElse = interaction('dan', minutesAgo(3))
  await publish(Topics.profiles, lateMerge)
  for (const e of [late, lateAnonymous, aheadButReceived, collectedSince, someoneElse, newFact]) await publish(Topics.interactions, e)
  await waitFor(() => applied(newFact.id), { what: 'the event after the erasure' })
  await waitFor(async () => (await db.selectFrom('inbox').select('eventId').where('eventId', '=', lateMerge.id).executeTakeFirst()) ?? undefined, {
    what: 'the late merge consumed',
  })
  t.notOk(await applied(late.id), 'the user’s late event is dropped')
  t.notOk(await applied(lateAnonymous.id), 'the merged anonymous id’s late event is dropped')
  t.notOk(await applied(lateMerge.id), 'the late merge is dropped: no link to the erased user comes back')
  t.notOk(await applied(aheadButReceived.id), 'an event dated ahead but received before the erasure is dropped')
  t.ok(await applied(someoneElse.id), 'other users are untouched')
  t.ok(await applied(collectedSince.id), 'an event received after the erasure is new data, whenever it happened')
  t.same(await factsOf(['carol']), ['carol', 'carol'], 'only the events collected after the erasure are kept')
  const metrics = await service.app.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /consumer_events_total\{[^}]*consumer="record-interactions"[^}]*outcome="erased"[^}]*\} 3/)
})

t.test('a consumer batch and an erasure take turns, whichever starts first', async (t) => {
  const root = db as unknown as Kysely<KitTables>
  const key = erasureLockKey('holder')
  const waiting = async () => {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(root)
    return (r.rows[0]?.n ?? 0) > 0 || undefined
  }
  const erase = (id: string, onDone: () => void) =>
    root.transaction().execute(async (trx) => {
      await lockForErasure(trx, key)
      await recordErasedSubjects(trx, [id], new Date())
      onDone()
    })
  // The batch first: the erasure waits for it, so what the batch wrote is erased after it commits.
  let erased = false
  let erasing: Promise<void> | undefined
  await root.transaction().execute(async (trx) => {
    t.same((await withoutErasedSubjects(trx, [interaction('erin', minutesAgo(1))], key)).length, 1, 'not erased yet')
    erasing = erase('erin', () => {
      erased = true
    })
    await waitFor(waiting, { what: 'the erasure waiting for the batch’s lock' })
    t.notOk(erased, 'the erasure waits while the batch is open')
  })
  await erasing
  t.ok(erased, 'the erasure went on once the batch committed')
  await root.transaction().execute(async (trx) => {
    t.same(await withoutErasedSubjects(trx, [interaction('erin', minutesAgo(1))], key), [], 'dropped once erased')
  })
  // The erasure first: the batch waits, then reads the tombstone committed meanwhile (a snapshot
  // taken before the wait would not see it).
  let release = () => {}
  const held = new Promise<void>((r) => {
    release = r
  })
  const erasure = root.transaction().execute(async (trx) => {
    await lockForErasure(trx, key)
    await recordErasedSubjects(trx, ['fred'], new Date())
    await held
  })
  await waitFor(
    async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and mode = 'ExclusiveLock'`.execute(
        root,
      )
      return (r.rows[0]?.n ?? 0) > 0 || undefined
    },
    { what: 'the erasure holding its lock' },
  )
  const batch = root.transaction().execute((trx) => withoutErasedSubjects(trx, [interaction('fred', minutesAgo(1)), interaction('gina', minutesAgo(1))], key))
  await waitFor(waiting, { what: 'the batch waiting for the erasure' })
  release()
  await erasure
  t.same(
    (await batch).map((e) => e.subject),
    ['gina'],
    'the batch saw the erasure that committed while it waited',
  )
})

t.test('with more recent tombstones than are read at once, they are looked up by the batch’s ids', async (t) => {
  const root = db as unknown as Kysely<KitTables>
  const many = Array.from({ length: 1200 }, (_, i) => `bulk-${i}`)
  await root.transaction().execute((trx) => recordErasedSubjects(trx, many, new Date()))
  const kept = await root
    .transaction()
    .execute((trx) =>
      withoutErasedSubjects(
        trx,
        [interaction('bulk-7', minutesAgo(1)), interaction('bulk-1199', minutesAgo(1)), interaction('hank', minutesAgo(1))],
        erasureLockKey('holder'),
      ),
    )
  t.same(
    kept.map((e) => e.subject),
    ['hank'],
  )
})

t.test('tombstones expire', async (t) => {
  const root = db as unknown as Kysely<KitTables>
  await root.transaction().execute((trx) => recordErasedSubjects(trx, ['old-user'], new Date(Date.now() - 40 * 86_400_000)))
  t.equal(await expireErasedSubjects(root, new Date(Date.now() - 30 * 86_400_000)), 1, 'only the one older than the cut')
  t.notOk(await root.selectFrom('erasedSubjects').select('subjectHash').where('subjectHash', '=', hashUserId('old-user')).executeTakeFirst())
  t.ok(await root.selectFrom('erasedSubjects').select('subjectHash').where('subjectHash', '=', hashUserId('carol')).executeTakeFirst(), 'recent ones stay')
})
