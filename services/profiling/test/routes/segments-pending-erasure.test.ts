// New events of a user whose erasure is asked for and not yet done refresh no rule segment: no
// membership is written and no join or leave is published about the user until the erasure has run;
// an erasure asked for while an evaluation is in flight is dated after it (on real Postgres, with
// the service's own consumers on the in-memory bus).
import { randomUUID } from 'node:crypto'
import { EventTypes, Topics } from '@attune/contracts'
import { erasureLockKey, hashUserId, MemoryBus, makeEvent, shareErasureLock } from '@attune/kit'
import { asAdmin, asSite, holdInTransaction, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'
import { createPrivacyRequest } from '../../src/store/privacy-requests-store.ts'
import { refreshMembershipsOf } from '../../src/store/segment-membership-store.ts'
import { insertSegment } from '../../src/store/segments-store.ts'
import { membershipChangesOf, segmentNamesOf } from '../support/segment-members.ts'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app, context } = service

const view = (userId: string) => ({ id: randomUUID(), type: 'view', userId, itemId: 'item-1' })
const post = (events: unknown[]) => app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })
const outboxRows = async () => (await sql<{ n: number }>`select count(*)::int as n from profiling.outbox`.execute(database.root)).rows[0]?.n ?? -1

/** Until every event published so far is consumed, and what the consumers published in turn too. */
async function settled(): Promise<void> {
  do {
    await waitFor(async () => (await outboxRows()) === 0, { what: 'outbox to drain' })
    await bus.idle()
  } while ((await outboxRows()) > 0)
}

const segmentsOf = (userId: string) => segmentNamesOf(database.root, userId)

const published = (userId: string, names: ReadonlyMap<string, string>) => membershipChangesOf(bus, 'attune.profiles', userId, names)

t.test('a user whose erasure is pending joins and leaves nothing from new events; once it has run, new events count again', async (t) => {
  const names = new Map<string, string>()
  for (const [name, rule] of [
    ['light', { event: 'view', withinDays: 7, op: 'lte', value: 1 }],
    ['heavy', { event: 'view', withinDays: 7, op: 'gte', value: 2 }],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: '/v1/segments', headers: asAdmin, payload: { name, rule } })
    t.equal(r.statusCode, 201)
    names.set(r.json().id, name)
  }
  const pending = `user-${randomUUID()}`
  const other = `user-${randomUUID()}`
  t.equal((await post([view(pending), view(other)])).statusCode, 202)
  await settled()
  t.same(await segmentsOf(pending), ['light'], 'one view: light')

  // Asked for, not yet run here: the request as the privacy route records it, its event not yet published.
  const requestedAt = new Date()
  const { request } = await createPrivacyRequest(context.db, {
    id: randomUUID(),
    kind: 'erasure',
    userId: pending,
    userIdHash: hashUserId(pending),
    services: [context.name],
    now: requestedAt,
  })
  const second = await post([view(pending), view(other)])
  t.same(second.json(), { accepted: 2, duplicates: [] }, 'the events are new data: stored')
  await settled()
  t.same(await segmentsOf(other), ['heavy'], 'the other user, with no erasure pending, moved from light to heavy')
  t.same(published(other, names).sort(), ['joined heavy', 'joined light', 'left light'])
  t.same(await segmentsOf(pending), ['light'], 'the user being erased: no membership written')
  t.same(published(pending, names), ['joined light'], 'nothing published about it since the erasure was asked for')

  // The erasure runs (its event, as the privacy route publishes it) and completes.
  await context.transaction((_trx, emit) =>
    emit([
      {
        topic: context.topic(Topics.privacy),
        key: pending,
        event: makeEvent(
          { ...EventTypes.erasureRequested, source: context.name, subject: pending, data: { requestId: request.id, userId: pending } },
          requestedAt,
        ),
      },
    ]),
  )
  await waitFor(async () => (await app.inject({ url: `/v1/privacy/requests/${request.id}`, headers: asAdmin })).json().status === 'completed', {
    what: 'the erasure to complete',
  })
  await settled()
  t.same(await segmentsOf(pending), [], 'the erasure deleted the membership')
  t.equal((await post([view(pending), view(pending)])).json().accepted, 2)
  await settled()
  t.same(await segmentsOf(pending), ['heavy'], 'new events after the erasure count')
  t.same(published(pending, names), ['joined light', 'joined heavy'])
})

/** Sessions of this database waiting for the schema's erasure lock (a two-key advisory lock; `objid` shows the key unsigned). */
async function waitingForTheLock(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks
    where locktype = 'advisory' and objsubid = 2 and objid::text::bigint = ${erasureLockKey(context.schema) >>> 0} and not granted
      and database = (select oid from pg_database where datname = current_database())`.execute(database.root)
  return r.rows[0]?.n ?? -1
}

t.test('an erasure asked for while a segment evaluation is in flight waits for it, and is dated after what it publishes', async (t) => {
  const userId = `user-${randomUUID()}`
  t.equal((await post([view(userId)])).statusCode, 202)
  await settled()
  // A segment made as the route makes it, held open after evaluating: it found no erasure pending.
  const evaluatedAt = new Date()
  let joins = 0
  const release = await holdInTransaction(context.db, async (trx) => {
    await shareErasureLock(trx, context.schema)
    const id = randomUUID()
    const rule = { event: 'view', withinDays: 7, op: 'gte' as const, value: 1 }
    await insertSegment(trx, { id, kind: 'rule', name: 'in flight', description: null, rule, createdAt: evaluatedAt })
    const messages = await refreshMembershipsOf(trx, [userId], [{ id, rule }], {
      topic: context.topic(Topics.profiles),
      source: context.name,
      now: evaluatedAt,
    })
    joins = messages.length
  })
  t.equal(joins, 1, 'the evaluation joined the user, to be published dated when it ran')
  let answered = false
  const erasure = app.inject({ method: 'POST', url: `/v1/privacy/erasure/${userId}`, headers: asAdmin }).finally(() => {
    answered = true
  })
  const waited = await waitFor(async () => answered || (await waitingForTheLock()) >= 1, { what: 'the erasure request to wait or answer' })
  t.ok(waited && !answered, 'the erasure request waits for the evaluation')
  const releasing = new Date()
  await release()
  const r = await erasure
  t.equal(r.statusCode, 202)
  const requestedAt = new Date(r.json().requestedAt)
  t.ok(requestedAt >= releasing, `dated once the evaluation ended (${requestedAt.toISOString()} >= ${releasing.toISOString()})`)
  t.ok(requestedAt > evaluatedAt, 'after the change it would have published')
})
