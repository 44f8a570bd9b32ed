// New events of a user whose erasure is asked for and not yet done refresh no rule segment: no
// membership is written and no join or leave is published about the user until the erasure has run
// (on real Postgres, with the service's own consumers on the in-memory bus).
import { randomUUID } from 'node:crypto'
import { EventTypes, Topics } from '@attune/contracts'
import { hashUserId, MemoryBus, makeEvent } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'
import { createPrivacyRequest } from '../../src/store/privacy-requests-store.ts'

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

/** The user's segments, by name. */
async function segmentsOf(userId: string): Promise<string[]> {
  const r = await sql<{ name: string }>`select s.name from profiling.segment_members m join profiling.segments s on s.id = m.segment_id
    where m.user_id = ${userId} order by s.name`.execute(database.root)
  return r.rows.map((row) => row.name)
}

/** The joins and leaves published about the user, in order, as `change name`. */
function published(userId: string, names: Map<string, string>): string[] {
  return bus
    .messages('attune.profiles')
    .map((m) => JSON.parse(m.value) as { type: string; data: { segmentId: string; userId: string; change: string } })
    .filter((e) => e.type === EventTypes.segmentMembershipChanged.type && e.data.userId === userId)
    .map((e) => `${e.data.change} ${names.get(e.data.segmentId)}`)
}

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
