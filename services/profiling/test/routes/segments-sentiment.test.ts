// Rule segments on sentiment traits move as `sentiment.scored` events arrive, with no new
// interaction: joins and leaves are written and published, except about a user whose erasure is
// pending (on real Postgres, with the service's own consumers on the in-memory bus).
import { randomUUID } from 'node:crypto'
import { EventTypes, Topics } from '@attune/contracts'
import { hashUserId, MemoryBus, makeEvent } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'
import { createPrivacyRequest } from '../../src/store/privacy-requests-store.ts'
import { membershipChangesOf, segmentNamesOf } from '../support/segment-members.ts'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app, context } = service

const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.root)).rows[0]?.n ?? -1
const outboxRows = () => count(sql<{ n: number }>`select count(*)::int as n from profiling.outbox`)
const interactions = () => count(sql<{ n: number }>`select count(*)::int as n from profiling.events`)

/** Until every event published so far is consumed, and what the consumers published in turn too. */
async function settled(): Promise<void> {
  do {
    await waitFor(async () => (await outboxRows()) === 0, { what: 'outbox to drain' })
    await bus.idle()
  } while ((await outboxRows()) > 0)
}

/** Texts of these users scored by the sentiment service, as it publishes them. */
async function scored(scores: [userId: string, compound: number, emotion: string][]): Promise<void> {
  await bus.publish(
    scores.map(([userId, compound, emotion]) => {
      const data = { textId: randomUUID(), userId, label: compound > 0 ? 'positive' : 'negative', compound, emotion }
      const event = makeEvent({ ...EventTypes.sentimentScored, source: 'sentiment', subject: userId, data }, new Date())
      return { topic: context.topic(Topics.sentiment), key: userId, value: JSON.stringify(event) }
    }),
  )
  await settled()
}

const segmentsOf = (userId: string) => segmentNamesOf(database.root, userId)

const published = (userId: string, names: ReadonlyMap<string, string>) => membershipChangesOf(bus, context.topic(Topics.profiles), userId, names)

t.test('a sentiment change alone moves a user into and out of rule segments, and publishes it; a user being erased is left out', async (t) => {
  const names = new Map<string, string>()
  for (const [name, rule] of [
    ['negative', { trait: 'sentimentAverage', op: 'lt', value: -0.3 }],
    ['angry', { trait: 'dominantEmotion', op: 'eq', value: 'anger' }],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: '/v1/segments', headers: asAdmin, payload: { name, rule } })
    t.equal(r.statusCode, 201)
    names.set(r.json().id, name)
  }
  const user = `user-${randomUUID()}`
  const pending = `user-${randomUUID()}`
  const views = [user, pending].map((userId) => ({ id: randomUUID(), type: 'view', userId, itemId: 'item-1' }))
  t.equal((await app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events: views } })).statusCode, 202)
  await settled()
  t.same(await segmentsOf(user), [], 'no sentiment yet: in nothing')
  const stored = await interactions()

  // Asked for, not yet run here: the request as the privacy route records it, its event not yet published.
  await createPrivacyRequest(context.db, {
    id: randomUUID(),
    kind: 'erasure',
    userId: pending,
    userIdHash: hashUserId(pending),
    services: [context.name],
    now: new Date(),
  })
  await scored([
    [user, -0.8, 'anger'],
    [pending, -0.9, 'anger'],
  ])
  t.same(await segmentsOf(user), ['angry', 'negative'], 'joined both on sentiment alone')
  t.same(published(user, names).sort(), ['joined angry', 'joined negative'])
  t.same(await segmentsOf(pending), [], 'the user being erased: no membership written')
  t.same(published(pending, names), [], 'nor published')

  await scored([
    [user, 0.8, 'joy'],
    [user, 0.8, 'joy'],
  ])
  t.same(await segmentsOf(user), [], 'left both once the sentiment changed back')
  t.same(published(user, names).sort(), ['joined angry', 'joined negative', 'left angry', 'left negative'])
  t.equal(await interactions(), stored, 'no interaction was collected meanwhile')
})
