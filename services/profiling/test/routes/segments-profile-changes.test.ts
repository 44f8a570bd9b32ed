// Rule segments move as soon as a user's attributes change or an anonymous profile is merged into
// the user, with no new interaction: joins and leaves are written in the request's transaction and
// published after its `profile.updated`, except about a user whose erasure is pending; a merge ends
// the anonymous id's own memberships, rule or learned (on real Postgres, with the service's own
// consumers on the in-memory bus).
import { randomUUID } from 'node:crypto'
import { EventTypes, Topics } from '@attune/contracts'
import { hashUserId, MemoryBus } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'
import { createPrivacyRequest } from '../../src/store/privacy-requests-store.ts'
import { segmentNamesOf } from '../support/segment-members.ts'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus })
const { app, context } = service

const outboxRows = async () => (await sql<{ n: number }>`select count(*)::int as n from profiling.outbox`.execute(database.root)).rows[0]?.n ?? -1
const view = (ids: { userId: string } | { anonymousId: string }) => ({ id: randomUUID(), type: 'view', itemId: 'item-1', ...ids })
const post = (events: unknown[]) => app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })
const patch = (userId: string, attributes: Record<string, unknown>) =>
  app.inject({ method: 'PATCH', url: `/v1/profiles/${userId}`, headers: asAdmin, payload: { attributes } })
const merge = (anonymousId: string, userId: string) =>
  app.inject({ method: 'POST', url: '/v1/identities/merge', headers: asAdmin, payload: { anonymousId, userId } })

/** Until every event published so far is consumed, and what the consumers published in turn too. */
async function settled(): Promise<void> {
  do {
    await waitFor(async () => (await outboxRows()) === 0, { what: 'outbox to drain' })
    await bus.idle()
  } while ((await outboxRows()) > 0)
}

/** Asked for, not yet run here: the request as the privacy route records it, its event not yet published. */
async function erasurePending(userId: string): Promise<void> {
  await createPrivacyRequest(context.db, {
    id: randomUUID(),
    kind: 'erasure',
    userId,
    userIdHash: hashUserId(userId),
    services: [context.name],
    now: new Date(),
  })
}

const segmentsOf = (userId: string) => segmentNamesOf(database.root, userId)

const names = new Map<string, string>()

/**
 * What was published about the user on attune.profiles, in order: `updated <changed>`, or
 * `<change> <segment>`; the changes after each update sorted (one request's come in segment id order).
 */
function published(userId: string): string[] {
  const runs: string[][] = [[]]
  for (const m of bus.messages(context.topic(Topics.profiles))) {
    const e = JSON.parse(m.value) as { type: string; data: { userId: string; changed?: string[]; segmentId?: string; change?: string } }
    if (e.data.userId !== userId) continue
    if (e.type === EventTypes.segmentMembershipChanged.type) runs.at(-1)?.push(`${e.data.change} ${names.get(e.data.segmentId ?? '')}`)
    else runs.push([`updated ${e.data.changed?.join(',')}`], [])
  }
  return runs.flatMap((run) => run.sort())
}

const joinsAndLeaves = (userId: string) => published(userId).filter((p) => !p.startsWith('updated '))

/** How many messages attune.profiles holds now, for `changesSince`. */
const mark = () => bus.messages(context.topic(Topics.profiles)).length

/** The joins and leaves about the id published since `from` (a `mark()`), sorted. */
function changesSince(from: number, userId: string): string[] {
  return bus
    .messages(context.topic(Topics.profiles))
    .slice(from)
    .map((m) => JSON.parse(m.value) as { type: string; data: { userId: string; segmentId?: string; change?: string } })
    .filter((e) => e.type === EventTypes.segmentMembershipChanged.type && e.data.userId === userId)
    .map((e) => `${e.data.change} ${names.get(e.data.segmentId ?? '') ?? e.data.segmentId}`)
    .sort()
}

const segmentId = (name: string) => [...names].find(([, n]) => n === name)?.[0] as string

/** Who `GET /v1/segments/{id}/members` lists. */
async function membersOf(id: string): Promise<string[]> {
  const r = await app.inject({ url: `/v1/segments/${id}/members?limit=100`, headers: asAdmin })
  if (r.statusCode !== 200) throw new Error(`members of ${id}: ${r.statusCode} ${r.body}`)
  return (r.json() as { items: { userId: string }[] }).items.map((i) => i.userId)
}

t.before(async () => {
  for (const [name, rule] of [
    ['french', { attribute: 'country', op: 'eq', value: 'FR' }],
    ['premium', { attribute: 'plan', op: 'eq', value: 'premium' }],
    ['no country', { not: { attribute: 'country', op: 'exists' } }],
    ['heavy', { event: 'view', withinDays: 7, op: 'gte', value: 2 }],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: '/v1/segments', headers: asAdmin, payload: { name, rule } })
    if (r.statusCode !== 201) throw new Error(`segment ${name}: ${r.statusCode} ${r.body}`)
    names.set(r.json().id, name)
  }
})

t.test('a PATCH of attributes moves the user into and out of rule segments at once, and publishes it after the update', async (t) => {
  const user = `user-${randomUUID()}`
  t.equal((await patch(user, { country: 'FR' })).statusCode, 200)
  t.same(await segmentsOf(user), ['french'], 'joined in the PATCH itself')
  t.equal((await patch(user, { country: 'DE', plan: 'premium' })).statusCode, 200)
  t.same(await segmentsOf(user), ['premium'], 'left one and joined another')
  t.equal((await patch(user, { country: null })).statusCode, 200)
  t.same(await segmentsOf(user), ['no country', 'premium'], 'removing an attribute counts too')
  await settled()
  t.same(published(user), [
    'updated attributes.country',
    'joined french',
    'updated attributes.country,attributes.plan',
    'joined premium',
    'left french',
    'updated attributes.country',
    'joined no country',
  ])
})

t.test('a PATCH of a user whose erasure is pending is stored and moves none of their segments', async (t) => {
  const pending = `user-${randomUUID()}`
  t.equal((await patch(pending, { country: 'FR' })).statusCode, 200)
  t.same(await segmentsOf(pending), ['french'])
  await erasurePending(pending)
  const r = await patch(pending, { country: 'DE', plan: 'premium' })
  t.equal(r.statusCode, 200, 'new data: stored')
  t.same(r.json().attributes, { country: 'DE', plan: 'premium' })
  t.same(await segmentsOf(pending), ['french'], 'memberships unchanged: neither left nor joined')
  await settled()
  t.same(joinsAndLeaves(pending), ['joined french'], 'nothing published since the erasure was asked for')
  t.same(published(pending).at(-1), 'updated attributes.country,attributes.plan', 'the update itself is published')
})

t.test('a merge moves the merged user by what the anonymous profile brought', async (t) => {
  const user = `user-${randomUUID()}`
  const anon = `anon-${randomUUID()}`
  t.equal((await post([view({ userId: user }), view({ anonymousId: anon })])).statusCode, 202)
  await settled()
  t.equal((await patch(anon, { country: 'FR' })).statusCode, 200)
  t.same(await segmentsOf(user), ['no country'], 'one view, no country')
  t.same(await segmentsOf(anon), ['french'])
  await settled()
  const before = mark()

  const r = await merge(anon, user)
  t.equal(r.json().status, 'merged')
  t.same(await segmentsOf(user), ['french', 'heavy'], "in the merge itself: the anonymous country and view are the user's now")
  t.same(await segmentsOf(anon), [], "the anonymous id's memberships ended with its profile")
  const french = await membersOf(segmentId('french'))
  t.ok(french.includes(user), 'the user is listed')
  t.notOk(french.includes(anon), 'the anonymous id is not')
  await settled()
  t.same(published(user).slice(1), ['updated identity', 'joined french', 'joined heavy', 'left no country'])
  t.same(changesSince(before, anon), ['left french'], 'its leave is published, for the mirrors')

  const again = mark()
  t.equal((await merge(anon, user)).json().status, 'already-merged')
  await settled()
  t.equal(published(user).length, 5, 'merging again publishes nothing')
  t.same(changesSince(again, anon), [], 'not even a leave')
})

t.test('a merge into a user whose erasure is pending is stored and moves none of their segments', async (t) => {
  const pending = `user-${randomUUID()}`
  const anon = `anon-${randomUUID()}`
  t.equal((await post([view({ userId: pending }), view({ anonymousId: anon })])).statusCode, 202)
  await settled()
  t.equal((await patch(anon, { country: 'FR' })).statusCode, 200)
  await erasurePending(pending)
  t.equal((await merge(anon, pending)).json().status, 'merged')
  t.same(await segmentsOf(pending), ['no country'], 'memberships unchanged')
  await settled()
  t.same(joinsAndLeaves(pending), ['joined no country'], 'nothing published since the erasure was asked for')
})

t.test('a merge by an identify event moves the user with that event (the segments consumer)', async (t) => {
  const user = `user-${randomUUID()}`
  const anon = `anon-${randomUUID()}`
  t.equal((await post([view({ userId: user }), view({ anonymousId: anon })])).statusCode, 202)
  await settled()
  t.equal((await patch(anon, { country: 'FR' })).statusCode, 200)
  await settled()
  t.same(await segmentsOf(anon), ['french'])
  const before = mark()
  t.equal((await post([{ id: randomUUID(), type: 'identify', userId: user, anonymousId: anon }])).statusCode, 202)
  t.same(await segmentsOf(anon), [], "in the collector's transaction: the anonymous id's memberships ended")
  await settled()
  t.same(await segmentsOf(user), ['french', 'heavy'])
  t.same(joinsAndLeaves(user).sort(), ['joined french', 'joined heavy', 'joined no country', 'left no country'])
  const french = await membersOf(segmentId('french'))
  t.ok(french.includes(user))
  t.notOk(french.includes(anon))
  t.same(changesSince(before, anon), ['left french'])
})

t.test('a merge drops the anonymous id from learned segments and moves none of them to the user', async (t) => {
  const user = `user-${randomUUID()}`
  const anon = `anon-${randomUUID()}`
  const other = `user-${randomUUID()}`
  const interest = (ids: { userId: string } | { anonymousId: string }, category: string) => ({ ...view(ids), properties: { category } })
  // The only profiles with interests in this file: one cluster each.
  t.equal((await post([view({ userId: user }), interest({ anonymousId: anon }, 'sport'), interest({ userId: other }, 'politics')])).statusCode, 202)
  await settled()
  const learned = await app.inject({ method: 'POST', url: '/v1/segments/learned', headers: asAdmin, payload: { k: 2, seed: 1 } })
  t.equal(learned.statusCode, 201)
  const clusters = (learned.json() as { items: { id: string; name: string }[] }).items
  for (const c of clusters) names.set(c.id, c.name)
  const sport = clusters.find((c) => c.name.endsWith(': sport'))?.id as string
  const politics = clusters.find((c) => c.name.endsWith(': politics'))?.id as string
  t.same(await membersOf(sport), [anon])
  t.same(await membersOf(politics), [other])
  await settled()
  const before = mark()

  t.equal((await merge(anon, user)).json().status, 'merged')
  t.same(await membersOf(sport), [], 'the anonymous id left; the model computed no membership for the user')
  t.same(await membersOf(politics), [other], 'other learned memberships stay')
  await settled()
  t.same(await segmentsOf(user), ['heavy', 'no country'], 'its rule segments re-evaluated, no learned one')
  t.same(changesSince(before, anon), [`left ${names.get(sport)}`, 'left no country'].sort())
  t.same(changesSince(before, user), ['joined heavy'])
})
