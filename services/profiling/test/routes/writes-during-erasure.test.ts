// Writes in flight while their user is erased (events, consents, preferences, attributes, merges):
// an erasure either deletes what they wrote with the rest, or they are refused, so nothing outlives
// it (on real Postgres; the erasure is run with the kit's own pieces, as its erasure consumer runs
// them, without Kafka).
import { randomUUID } from 'node:crypto'
import { erasureLockKey, type KitTables, lockForErasure, MemoryBus, recordErasedSubjects } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { eraseUser } from '../../src/store/erase-user.ts'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app, context } = service
const kit = context.db as unknown as Kysely<KitTables>
const lockKey = erasureLockKey(context.schema)

const view = (userId: string) => ({ id: randomUUID(), type: 'view', userId, itemId: 'item-1' })
const post = (events: unknown[]) => app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })

async function storedFor(userId: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from profiling.events where user_id = ${userId}`.execute(database.root)
  return r.rows[0]?.n ?? -1
}

/** Messages published about an event, and those still in the outbox. */
async function publishedOrQueued(eventId: string): Promise<number> {
  const queued = await sql<{ n: number }>`select count(*)::int as n from profiling.outbox where payload::text like ${`%${eventId}%`}`.execute(database.root)
  const published = bus.messages('attune.interactions').filter((m) => m.value.includes(eventId)).length
  return (queued.rows[0]?.n ?? 0) + published
}

/** Whether some session waits for the schema's erasure lock (a two-key advisory lock; `objid` shows the key unsigned). */
async function someoneWaitsForTheLock(): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks
    where locktype = 'advisory' and objsubid = 2 and objid::text::bigint = ${lockKey >>> 0} and not granted`.execute(database.root)
  return (r.rows[0]?.n ?? 0) > 0
}

t.test('an event received before an erasure and stored after it ran is refused and reported in `erased`', async (t) => {
  const userId = `user-${randomUUID()}`
  const kept = view(userId)
  t.equal((await post([kept])).statusCode, 202)
  t.equal(await storedFor(userId), 1)

  const late = view(userId)
  let answer: Awaited<ReturnType<typeof post>> | undefined
  let waited = false
  await kit.transaction().execute(async (trx) => {
    await lockForErasure(trx, lockKey)
    const inFlight = post([late]).then((r) => {
      answer = r
    })
    // The ingest must wait for the erasure's lock rather than commit under it.
    for (let i = 0; i < 100 && !answer && !waited; i++) {
      waited = await someoneWaitsForTheLock()
      if (!waited) await new Promise((r) => setTimeout(r, 50))
    }
    t.ok(waited && !answer, 'the ingest waits while the erasure holds its lock')
    // Asked for after the event was received: the event is erased data, not new data.
    await recordErasedSubjects(trx, [userId], new Date())
    await eraseUser(trx as unknown as Parameters<typeof eraseUser>[0], userId)
    // Committing lets the ingest go on; it is awaited after the commit, below.
    void inFlight
  })
  for (let i = 0; i < 100 && !answer; i++) await new Promise((r) => setTimeout(r, 50))
  t.equal(answer?.statusCode, 202)
  t.same(answer?.json(), { accepted: 0, duplicates: [], erased: [late.id] })
  t.equal(await storedFor(userId), 0, 'nothing of the user is stored after the erasure')
  t.equal(await publishedOrQueued(late.id), 0, 'nor published')
  t.equal(await publishedOrQueued(kept.id), 1, 'the event stored before was published (the check above can fail)')
})

t.test('an event received after the erasure was asked for is new data and is stored', async (t) => {
  const userId = `user-${randomUUID()}`
  await kit.transaction().execute(async (trx) => {
    await lockForErasure(trx, lockKey)
    await recordErasedSubjects(trx, [userId], new Date(Date.now() - 1000))
  })
  const fresh = view(userId)
  const r = await post([fresh])
  t.same(r.json(), { accepted: 1, duplicates: [] })
  t.equal(await storedFor(userId), 1)
})

t.test('of one batch, only the events about the erased user are refused, whichever id names it', async (t) => {
  const erased = `user-${randomUUID()}`
  const anon = `anon-${randomUUID()}`
  const other = `user-${randomUUID()}`
  // Dated after the request below is received, as an erasure asked for while it was in flight.
  await kit.transaction().execute(async (trx) => {
    await lockForErasure(trx, lockKey)
    await recordErasedSubjects(trx, [erased, anon], new Date(Date.now() + 60_000))
  })
  const byUser = view(erased)
  const byAnon = { id: randomUUID(), type: 'view', anonymousId: anon, itemId: 'item-2' }
  const follow = { id: randomUUID(), type: 'follow', userId: other, targetType: 'user', targetId: erased }
  const unrelated = view(other)
  const r = await post([byUser, byAnon, follow, unrelated])
  t.equal(r.statusCode, 202)
  t.same(r.json().accepted, 1)
  t.same([...r.json().erased].sort(), [byUser.id, byAnon.id, follow.id].sort(), 'a follow of the erased user is about it too')
  t.same(r.json().duplicates, [])
  t.equal(await storedFor(other), 1, 'the unrelated event is stored')
})

/** Tombstones as an erasure asked for `msFromNow` from now leaves them (in flight: asked for after the request was received). */
async function erasedAt(ids: string[], msFromNow: number): Promise<void> {
  await kit.transaction().execute(async (trx) => {
    await lockForErasure(trx, lockKey)
    await recordErasedSubjects(trx, ids, new Date(Date.now() + msFromNow))
  })
}

async function rowsAbout(userId: string, anonymousId: string): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`select
      (select count(*)::int from profiling.consent_records where user_id = ${userId}) as consents,
      (select count(*)::int from profiling.preferences where user_id = ${userId}) as preferences,
      (select count(*)::int from profiling.profiles where user_id = ${userId}) as profiles,
      (select count(*)::int from profiling.identity_links where anonymous_id = ${anonymousId} or user_id = ${userId}) as links`.execute(database.root)
  return r.rows[0] ?? {}
}

t.test("a consent, preferences, attribute or merge write in flight during its user's erasure is a 409 naming the field, and writes nothing", async (t) => {
  const userId = `user-${randomUUID()}`
  const anonymousId = `anon-${randomUUID()}`
  await erasedAt([userId, anonymousId], 60_000)
  const writes: [string, 'POST' | 'PUT' | 'PATCH', string, object, string][] = [
    ['consents', 'POST', `/v1/users/${userId}/consents`, { consents: [{ purpose: 'analytics', status: 'granted' }] }, '/userId'],
    ['preferences (PUT)', 'PUT', `/v1/users/${userId}/preferences`, { ...preferences }, '/userId'],
    ['preferences (PATCH)', 'PATCH', `/v1/users/${userId}/preferences`, { languages: ['fr'] }, '/userId'],
    ['attributes', 'PATCH', `/v1/profiles/${userId}`, { attributes: { plan: 'premium' } }, '/userId'],
    ['merge', 'POST', '/v1/identities/merge', { anonymousId, userId: `user-${randomUUID()}` }, '/anonymousId'],
  ]
  for (const [what, method, url, payload, field] of writes) {
    const r = await app.inject({ method, url, headers: asAdmin, payload })
    t.equal(r.statusCode, 409, what)
    t.match(r.headers['content-type'], /^application\/problem\+json/, what)
    t.same(
      r.json().errors.map((e: { field: string }) => e.field),
      [field],
      `${what}: names ${field}`,
    )
  }
  t.same(await rowsAbout(userId, anonymousId), { consents: 0, preferences: 0, profiles: 0, links: 0 }, 'nothing was written')
  // Asked for before these writes were received: they are new data.
  const later = `user-${randomUUID()}`
  await erasedAt([later], -1000)
  const r = await app.inject({
    method: 'POST',
    url: `/v1/users/${later}/consents`,
    headers: asAdmin,
    payload: { consents: [{ purpose: 'analytics', status: 'granted' }] },
  })
  t.equal(r.statusCode, 201, 'a write received after the erasure was asked for is stored')
})

const preferences = {
  followedTopics: ['climate'],
  mutedTopics: [],
  mutedAuthors: [],
  mutedItems: [],
  channels: { email: true, push: true, sms: false, in_app: false, webhook: false },
  quietHours: null,
  frequencyCaps: {},
  languages: ['en'],
  style: { formality: 'neutral', length: 'medium', emoji: 'some', readingLevel: 'standard' },
  nonPersonalized: false,
}
