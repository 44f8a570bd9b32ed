// The state the recommenders learn from, fed through the real consumers on real Postgres:
// per-user item weights (negative feedback, dwell), follows, attribution, and the store reads.
import { randomUUID } from 'node:crypto'
import type { Interaction } from '@attune/contracts'
import { MemoryBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, startTestService } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import t from 'tap'
import { feedbackFor } from '../../src/store/feedback-store.ts'
import { followersOf, userFollows } from '../../src/store/follows-store.ts'
import { seenItemIds, trainingInteractions, userHistory } from '../../src/store/interactions-store.ts'
import { catalogForContent } from '../../src/store/items-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const bus = new MemoryBus({ retryDelayMs: 10 })
const now = new Date('2026-11-25T12:00:00Z')
// Likes count 4 here instead of 3: the weights come from INTERACTION_WEIGHTS, read through the
// service's own config schema (the definition's configSchema, which every host loads).
const service = await startTestService(recommendation, {
  database,
  bus,
  clock: () => now,
  env: { INTERACTION_WEIGHTS: 'like=4' },
})
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

let minute = 0
type Fields = { type: Interaction['type'] } & Record<string, unknown>
/** An interaction.recorded message as profiling publishes it; each a minute after the previous one. */
function message(fields: Fields) {
  const time = new Date(now.getTime() - 24 * 3_600_000 + ++minute * 60_000).toISOString()
  const interaction: Record<string, unknown> = { id: randomUUID(), userId: 'u1', time, ...fields }
  const subject = String(interaction.userId ?? interaction.anonymousId ?? 'aggregate')
  const event = makeEvent({ type: 'interaction.recorded', source: 'profiling', subject, data: { interaction, receivedAt: time } }, now)
  return { topic: 'attune.interactions', key: subject, value: JSON.stringify(event) }
}
/** Publishes messages and waits until every consumer has applied them. */
async function deliver(messages: ReturnType<typeof message>[]) {
  await bus.publish(messages)
  await bus.idle()
}
const record = (...fields: Fields[]) => deliver(fields.map(message))
/** Profiling's announcement of a merge it made (API or an event carrying both ids). */
function announceMerge(anonymousId: string, userId: string) {
  const e = makeEvent(
    { type: 'profile.updated', source: 'profiling', subject: userId, data: { userId, changed: ['identity'], mergedAnonymousId: anonymousId } },
    now,
  )
  return deliver([{ topic: 'attune.profiles', key: userId, value: JSON.stringify(e) }])
}
const row = async (userId: string, itemId: string) => (await userHistory(db, userId)).find((h) => h.itemId === itemId)
const weightOf = async (userId: string, itemId: string) => (await row(userId, itemId))?.weight

t.test('positive interactions add up with the configured weights', async (t) => {
  await record({ type: 'view', itemId: 'a' }, { type: 'click', itemId: 'a' }, { type: 'like', itemId: 'a' })
  t.equal(await weightOf('u1', 'a'), 1 + 2 + 4)
  t.match(await row('u1', 'a'), { events: 3 })
})

t.test('negative feedback makes the weight negative, across batches or within one', async (t) => {
  await record({ type: 'click', itemId: 'n1' }, { type: 'like', itemId: 'n1' })
  t.equal(await weightOf('u1', 'n1'), 6)
  await record({ type: 'hide', itemId: 'n1' })
  t.equal(await weightOf('u1', 'n1'), -2, 'a hide after positive signals: at most the hide’s own weight')
  await record({ type: 'click', itemId: 'n2' }, { type: 'share', itemId: 'n2' }, { type: 'not_interested', itemId: 'n2' })
  t.equal(await weightOf('u1', 'n2'), -3, 'the same in one batch')
  await record({ type: 'view', itemId: 'n2' })
  t.equal(await weightOf('u1', 'n2'), -2, 'later interactions still count after the feedback')
  await record({ type: 'like', itemId: 'n3' }, { type: 'rating', itemId: 'n3', value: 2 })
  t.equal(await weightOf('u1', 'n3'), -1, 'a rating of 2 is negative feedback')
  await record({ type: 'rating', itemId: 'n4', value: 1 })
  t.equal(await weightOf('u1', 'n4'), -2)
  await record({ type: 'rating', itemId: 'n5', value: 5 })
  t.equal(await weightOf('u1', 'n5'), 2)
  const rows = await db
    .selectFrom('userItemInteractions')
    .selectAll()
    .where('userId', '=', 'u1')
    .where('itemId', 'in', ['n1', 'n2', 'n5'])
    .orderBy('itemId')
    .execute()
  t.same(
    rows.map((r) => [r.itemId, r.negatives, r.lastType]),
    [
      ['n1', 1, 'hide'],
      ['n2', 1, 'view'],
      ['n5', 0, 'rating'],
    ],
  )
})

t.test('dwell counts by seconds, capped', async (t) => {
  await record({ type: 'dwell', itemId: 'd1', seconds: 30 })
  t.equal(await weightOf('u1', 'd1'), 1, 'half a click at 30 s')
  await record({ type: 'dwell', itemId: 'd2', seconds: 7200 })
  t.equal(await weightOf('u1', 'd2'), 2, 'a click’s worth at most')
  const d = await db
    .selectFrom('userItemInteractions')
    .select(['itemId', 'dwellSeconds'])
    .where('userId', '=', 'u1')
    .where('itemId', 'in', ['d1', 'd2'])
    .orderBy('itemId')
    .execute()
  t.same(
    d.map((r) => r.dwellSeconds),
    [30, 600],
    'seconds stored, each event capped at 10 minutes',
  )
})

t.test('replaying the same events changes nothing (inbox)', async (t) => {
  const messages = [
    message({ type: 'click', itemId: 'r1', recommendationId: 'rec-replay' }),
    message({ type: 'follow', targetType: 'author', targetId: 'author-r' }),
  ]
  await deliver(messages)
  const before = await row('u1', 'r1')
  const feedback = await feedbackFor(db, ['rec-replay'])
  await deliver(messages)
  await deliver(messages)
  t.same(await row('u1', 'r1'), before)
  t.same(await feedbackFor(db, ['rec-replay']), feedback)
  t.match(before, { weight: 2, events: 1 })
})

t.test('follows and unfollows of authors and users; a late, older follow does not undo an unfollow', async (t) => {
  await record(
    { type: 'follow', targetType: 'author', targetId: 'author-1' },
    { type: 'follow', targetType: 'user', targetId: 'u2' },
    { type: 'follow', targetType: 'user', targetId: 'u1' },
    { type: 'follow', targetType: 'user', targetId: 'u3' },
    { type: 'unfollow', targetType: 'user', targetId: 'u3' },
  )
  t.same(await userFollows(db, 'u1'), { authors: ['author-1', 'author-r'], users: ['u2'] }, 'following oneself is ignored')
  const old = message({ type: 'follow', targetType: 'user', targetId: 'u2' })
  await record({ type: 'unfollow', targetType: 'user', targetId: 'u2' })
  await deliver([old])
  t.same((await userFollows(db, 'u1')).users, [], 'the follow published late is older than the unfollow')
  await record({ type: 'follow', targetType: 'author', targetId: 'author-1', userId: 'u9' })
  t.same(await followersOf(db, 'author', 'author-1'), ['u1', 'u9'])
})

t.test('interactions carrying a recommendationId are attributed to it', async (t) => {
  await record(
    { type: 'view', itemId: 'x1', recommendationId: 'rec-1' },
    { type: 'view', itemId: 'x2', recommendationId: 'rec-1' },
    { type: 'click', itemId: 'x1', recommendationId: 'rec-1' },
    { type: 'dwell', itemId: 'x1', seconds: 40, recommendationId: 'rec-1' },
    { type: 'hide', itemId: 'x2', recommendationId: 'rec-1' },
    { type: 'view', itemId: 'x3', recommendationId: 'rec-2', userId: 'u2' },
    { type: 'click', itemId: 'x3' },
  )
  const f = await feedbackFor(db, ['rec-1', 'rec-2', 'rec-none'])
  t.same(f.get('rec-1'), { recommendationId: 'rec-1', views: 2, clicks: 1, engagements: 1, negatives: 1, items: 2 })
  t.same(f.get('rec-2'), { recommendationId: 'rec-2', views: 1, clicks: 0, engagements: 0, negatives: 0, items: 1 })
  t.notOk(f.has('rec-none'))
})

t.test('anonymous visitors are keyed by anonymous id; aggregate-only events are skipped', async (t) => {
  await record({ type: 'like', itemId: 'an-1', userId: undefined, anonymousId: 'anon-7' }, { type: 'like', itemId: 'ag-1', userId: undefined })
  t.equal(await weightOf('anon-7', 'an-1'), 4)
  t.equal((await db.selectFrom('userItemInteractions').select('userId').where('itemId', '=', 'ag-1').execute()).length, 0)
})

t.test('store reads: history, seen items, and a paged walk over every weight', async (t) => {
  const history = await userHistory(db, 'u1')
  t.equal(history[0]?.itemId, 'x3', 'most recent first')
  t.ok(
    history.some((h) => h.weight < 0),
    'negative rows are kept',
  )
  t.same(
    (await userHistory(db, 'u1', { limit: 2 })).map((h) => h.itemId),
    history.slice(0, 2).map((h) => h.itemId),
  )
  const seen = await seenItemIds(db, 'u1')
  t.ok(seen.has('a') && seen.has('n1') && seen.has('d2'))
  t.notOk(seen.has('c-1'))
  t.same(await seenItemIds(db, 'nobody'), new Set())

  const all = await db.selectFrom('userItemInteractions').select(['userId', 'itemId']).execute()
  const walked: string[] = []
  let pages = 0
  for await (const page of trainingInteractions(db, { pageSize: 4 })) {
    pages++
    t.ok(page.length <= 4)
    for (const r of page) {
      t.ok(r.time instanceof Date && typeof r.weight === 'number')
      walked.push(`${r.userId}/${r.itemId}`)
    }
  }
  t.equal(walked.length, all.length, 'every row once')
  t.equal(new Set(walked).size, walked.length)
  t.equal(pages, Math.ceil(all.length / 4))
})

t.test('the content walk leaves out hidden and expired items', async (t) => {
  const items = [
    { itemId: 'c-1', title: 'Visible', categories: ['tech'] },
    { itemId: 'c-2', title: 'Hidden', hidden: true },
    { itemId: 'c-3', title: 'Expired', expiresAt: '2026-11-25T11:00:00Z' },
    { itemId: 'c-4', title: 'Expires later', expiresAt: '2026-11-26T00:00:00Z' },
  ]
  const r = await service.app.inject({ method: 'POST', url: '/v1/items/batch', headers: asAdmin, payload: { items } })
  t.equal(r.statusCode, 200)
  const ids = async (opts: { includeHidden?: boolean; pageSize?: number }) => {
    const out: string[] = []
    for await (const page of catalogForContent(db, { now, ...opts })) out.push(...page.map((i) => i.itemId))
    return out
  }
  t.same(await ids({ pageSize: 1 }), ['c-1', 'c-4'])
  t.same(await ids({ includeHidden: true }), ['c-1', 'c-2', 'c-3', 'c-4'])
})

t.test('a merge profiling announces (after an identify) moves what was learned under the anonymous id to the user', async (t) => {
  const anon = { userId: undefined, anonymousId: 'anon-m' }
  await record({ type: 'like', itemId: 'm-1', userId: 'um' }, { type: 'click', itemId: 'm-2', userId: 'um' })
  await record(
    { type: 'click', itemId: 'm-1', ...anon },
    { type: 'view', itemId: 'm-3', recommendationId: 'rec-m', ...anon },
    { type: 'follow', targetType: 'author', targetId: 'author-m', ...anon },
    { type: 'follow', targetType: 'user', targetId: 'um', ...anon },
    { type: 'identify', userId: 'um', anonymousId: 'anon-m' },
    { type: 'hide', itemId: 'm-2', ...anon },
  )
  t.ok((await userHistory(db, 'anon-m')).length > 0, 'the identify alone merges nothing here: profiling decides merges')
  await announceMerge('anon-m', 'um')
  t.same(await userHistory(db, 'anon-m'), [], 'nothing left under the anonymous id')
  const weights = Object.fromEntries((await userHistory(db, 'um')).map((h) => [h.itemId, h.weight]))
  t.same(weights, { 'm-1': 4 + 2, 'm-2': 2 - 2, 'm-3': 1 }, 'weights of both ids add up')
  t.same(await userFollows(db, 'um'), { authors: ['author-m'], users: [] }, 'following oneself is dropped')
  t.same(await userFollows(db, 'anon-m'), { authors: [], users: [] })
  const f = await feedbackFor(db, ['rec-m'])
  t.equal(f.get('rec-m')?.views, 1)
  t.equal((await db.selectFrom('recommendationFeedback').select('userId').where('recommendationId', '=', 'rec-m').executeTakeFirst())?.userId, 'um')
})

t.test('announced merges: later anonymous events count for the user, the first merge wins, and erasure takes both', async (t) => {
  const anon = { userId: undefined, anonymousId: 'anon-late' }
  await record({ type: 'view', itemId: 'l-1', ...anon })
  // An event with both ids counts for the user; the merge itself comes from profiling's announcement.
  await record({ type: 'click', itemId: 'l-2', userId: 'ul', anonymousId: 'anon-late' })
  t.same(
    (await userHistory(db, 'anon-late')).map((h) => h.itemId),
    ['l-1'],
    'not merged before profiling says so',
  )
  await announceMerge('anon-late', 'ul')
  t.same(await userHistory(db, 'anon-late'), [], 'the anonymous history moved')
  // An anonymous event that arrives after the merge (another partition, a late batch).
  await record({ type: 'like', itemId: 'l-3', ...anon })
  t.same(await userHistory(db, 'anon-late'), [], 'nothing new under the anonymous id')
  t.same((await userHistory(db, 'ul')).map((h) => h.itemId).sort(), ['l-1', 'l-2', 'l-3'])

  // One device, two users: profiling merges it into the first and announces only that merge.
  await record({ type: 'view', itemId: 'l-4', userId: undefined, anonymousId: 'anon-other' })
  await record({ type: 'view', itemId: 'l-7', userId: 'ul-other', anonymousId: 'anon-other' })
  await record({ type: 'view', itemId: 'l-5', userId: 'ul-second', anonymousId: 'anon-other' })
  await announceMerge('anon-other', 'ul-other')
  t.same(
    (await userHistory(db, 'ul-second')).map((h) => h.itemId),
    ['l-5'],
    'the second user gets only their own event',
  )
  t.same((await userHistory(db, 'ul-other')).map((h) => h.itemId).sort(), ['l-4', 'l-7'], 'the visit before the merge went to the user profiling chose')
  await announceMerge('anon-other', 'ul-second')
  t.same(
    (await userHistory(db, 'ul-second')).map((h) => h.itemId),
    ['l-5'],
    'a later merge of a linked id changes nothing: the first wins',
  )

  const erasure = makeEvent({ type: 'privacy.erasure-requested', source: 'profiling', subject: 'ul', data: { requestId: randomUUID(), userId: 'ul' } }, now)
  await deliver([{ topic: 'attune.privacy', key: 'ul', value: JSON.stringify(erasure) }])
  t.same(await userHistory(db, 'ul'), [])
  t.equal(await db.selectFrom('identityLinks').select('anonymousId').where('userId', '=', 'ul').executeTakeFirst(), undefined, 'the link went too')
  // A late anonymous event after the erasure is a new visitor's: nothing ties it to the user any more.
  await record({ type: 'view', itemId: 'l-6', ...anon })
  t.same(
    (await userHistory(db, 'anon-late')).map((h) => h.itemId),
    ['l-6'],
  )
})

t.test('a merge made through profiling’s API (profile.updated with mergedAnonymousId) moves the history too', async (t) => {
  await record({ type: 'like', itemId: 'p-1', userId: undefined, anonymousId: 'anon-api' })
  const merged = makeEvent(
    { type: 'profile.updated', source: 'profiling', subject: 'up', data: { userId: 'up', changed: ['identity'], mergedAnonymousId: 'anon-api' } },
    now,
  )
  await deliver([{ topic: 'attune.profiles', key: 'up', value: JSON.stringify(merged) }])
  t.same(await userHistory(db, 'anon-api'), [])
  t.same(
    (await userHistory(db, 'up')).map((h) => h.itemId),
    ['p-1'],
  )
})
