// Planning a campaign larger than one write chunk (10,000) on real Postgres: every user planned
// exactly once; users who take the audience's slot are planned after everyone is scored, at that
// slot; the audience strategy puts everyone there; the holdout draws follow the recipient order.
import { randomUUID } from 'node:crypto'
import { openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, startTestService } from '@attune/kit/testing'
import t from 'tap'
import { schedulingService } from '../../src/app.ts'
import { BINS } from '../../src/domain/activity-increments.ts'
import { encodeBins } from '../../src/store/activity-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const now = new Date('2026-11-25T12:00:00Z')
const seeded = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
let random = seeded(11)
const service = await startTestService(schedulingService({ random: () => random() }), {
  database,
  clock: () => now,
  env: { DELIVERY_WEBHOOK_URL: 'http://127.0.0.1:9/hook', DISPATCH_ENABLED: 'false', BODY_LIMIT_BYTES: '10485760' },
})
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

const N = 12_500
const segmentId = randomUUID()
// Ids sort like their numbers, so the segment's member order (by id) is the index order.
const ids = Array.from({ length: N }, (_, i) => `u${String(i).padStart(5, '0')}`)
const nonPersonalized = (i: number) => i % 50 === 0
// Each personalized user is busiest at UTC hour (i % 24) every day; no quiet hours, no caps.
const habit = (i: number) => {
  const b = new Float32Array(BINS)
  for (let d = 0; d < 7; d++) b[d * 24 + (i % 24)] = 5
  return encodeBins(b)
}

t.before(async () => {
  for (let i = 0; i < N; i += 2_500) {
    const chunk = ids.slice(i, i + 2_500)
    await db
      .insertInto('userPreferences')
      .values(
        chunk.map((userId, k) => ({
          userId,
          timeZone: null,
          quietStart: null,
          quietEnd: null,
          channels: JSON.stringify({ push: true }),
          frequencyCaps: '{}',
          nonPersonalized: nonPersonalized(i + k),
          updatedAt: now,
        })),
      )
      .execute()
    await db
      .insertInto('userSegments')
      .values(chunk.map((userId) => ({ userId, segmentId, since: now })))
      .execute()
    await db
      .insertInto('activityModels')
      .values(chunk.map((userId, k) => ({ userId, channel: 'all', bins: habit(i + k), events: 40, firstAt: now, lastAt: now, updatedAt: now })))
      .execute()
  }
})

const plan = async (payload: object) => {
  const r = await service.app.inject({ method: 'POST', url: '/v1/campaigns', headers: asAdmin, payload })
  if (r.statusCode !== 201) throw new Error(r.body)
  const campaignId = r.json().campaignId as string
  const rows = await db
    .selectFrom('deliveries')
    .select(['userId', 'grp', 'status', 'sendAt', 'reason'])
    .where('campaignId', '=', campaignId)
    .orderBy('userId')
    .execute()
  return rows
}
const window = { end: new Date(now.getTime() + 86_400_000).toISOString() }

t.test('best time: each user once, at their hour; personalization off takes the audience slot', async (t) => {
  random = seeded(11)
  const rows = await plan({ name: 'Big', channel: 'push', content: { text: 'x' }, audience: { segmentId }, strategy: 'best_time', window, holdoutShare: 0.1 })
  t.equal(rows.length, N)
  t.same(
    rows.map((r) => r.userId),
    ids,
    'every user exactly once',
  )
  // The holdout draws, made in member order as a single pass would make them.
  const expected = seeded(11)
  const holdout = ids.filter(() => {
    const h = expected() < 0.1
    if (h) expected()
    return h
  })
  t.same(
    rows.filter((r) => r.grp === 'holdout').map((r) => r.userId),
    holdout,
    'same holdout as drawing in recipient order',
  )
  const personalized = rows.filter((r, i) => r.grp === 'personalized' && !nonPersonalized(i))
  t.ok(
    personalized.every((r) => r.sendAt.getUTCHours() === Number(r.userId.slice(1)) % 24 && r.reason.startsWith('most push engagement')),
    'personalized users at their own hour',
  )
  const fallback = rows.filter((r, i) => r.grp === 'personalized' && nonPersonalized(i))
  t.ok(fallback.length > 200)
  t.equal(new Set(fallback.map((r) => r.sendAt.getTime())).size, 1, 'one audience slot')
  t.ok(fallback.every((r) => r.reason.startsWith("the audience's best slot") && r.reason.includes(`most of the ${N} recipients`)))
})

t.test('audience best: everyone outside the holdout at the one slot', async (t) => {
  random = seeded(5)
  const rows = await plan({ name: 'Big, together', channel: 'push', content: { text: 'x' }, audience: { segmentId }, strategy: 'audience_best', window })
  t.equal(rows.length, N)
  t.equal(new Set(rows.map((r) => r.sendAt.getTime())).size, 1)
  t.ok(rows.every((r) => r.status === 'scheduled' && r.reason.startsWith("the audience's best slot")))
})
