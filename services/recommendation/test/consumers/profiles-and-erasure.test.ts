// What recommendation mirrors from attune.profiles (preferences, segment memberships), and its
// privacy.erase hook run by the kit's erasure consumer: every row about the user goes, and the
// erasure is confirmed with privacy.erasure-completed.
import { randomUUID } from 'node:crypto'
import type { Interaction } from '@attune/contracts'
import { MemoryBus, makeEvent, openDatabase } from '@attune/kit'
import { createTestDatabase, startTestService, waitFor } from '@attune/kit/testing'
import { recommendation } from '@attune/recommendation'
import t from 'tap'
import { userFollows } from '../../src/store/follows-store.ts'
import { userPreferences } from '../../src/store/preferences-store.ts'
import { segmentPopularItems, userSegments } from '../../src/store/segments-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const bus = new MemoryBus({ retryDelayMs: 10 })
const now = new Date('2026-11-25T12:00:00Z')
const service = await startTestService(recommendation, { database, bus, clock: () => now })
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

async function publish(topic: string, type: string, subject: string, data: unknown, time = now) {
  const event = makeEvent({ type, source: 'profiling', subject, data, time }, now)
  await bus.publish([{ topic, key: subject, value: JSON.stringify(event) }])
  await bus.idle()
  return event
}
const interaction = (fields: { type: Interaction['type'] } & Record<string, unknown>) =>
  publish('attune.interactions', 'interaction.recorded', String(fields.userId ?? 'u1'), {
    interaction: { id: randomUUID(), userId: 'u1', time: now.toISOString(), ...fields },
    receivedAt: now.toISOString(),
  })

const settings = {
  followedTopics: ['science'],
  mutedTopics: ['celebrity'],
  mutedAuthors: ['author-9'],
  mutedItems: ['item-3'],
  channels: { email: true, push: true, sms: false, in_app: true, webhook: false },
  quietHours: null,
  frequencyCaps: {},
  languages: ['fr', 'en-GB'],
  style: { formality: 'neutral', length: 'short', emoji: 'none', readingLevel: 'standard' },
  nonPersonalized: false,
}
const preferences = (userId: string, updatedAt: string, extra: Record<string, unknown> = {}) =>
  publish('attune.profiles', 'preferences.updated', userId, { userId, ...settings, ...extra, updatedAt })

t.test('preferences.updated is mirrored; an older document does not overwrite a newer one', async (t) => {
  await preferences('u1', '2026-11-25T10:00:00.000Z')
  t.match(await userPreferences(db, 'u1'), {
    userId: 'u1',
    followedTopics: ['science'],
    mutedTopics: ['celebrity'],
    mutedAuthors: ['author-9'],
    mutedItems: ['item-3'],
    languages: ['fr', 'en-GB'],
    nonPersonalized: false,
    updatedAt: new Date('2026-11-25T10:00:00.000Z'),
  })
  await preferences('u1', '2026-11-25T11:00:00.000Z', { nonPersonalized: true, mutedAuthors: [] })
  await preferences('u1', '2026-11-25T09:00:00.000Z', { nonPersonalized: false, mutedAuthors: ['stale'] })
  t.match(await userPreferences(db, 'u1'), { nonPersonalized: true, mutedAuthors: [] })
  t.equal(await userPreferences(db, 'nobody'), undefined)
})

t.test('segment memberships are mirrored, and power segment popularity', async (t) => {
  const [s1, s2] = [randomUUID(), randomUUID()]
  for (const [userId, segmentId] of [
    ['u1', s1],
    ['u2', s1],
    ['u2', s2],
    ['u3', s2],
  ] as const)
    await publish('attune.profiles', 'segment.membership-changed', userId, { segmentId, userId, change: 'joined' })
  await publish('attune.profiles', 'segment.membership-changed', 'u3', { segmentId: s2, userId: 'u3', change: 'left' })
  t.same(await userSegments(db, 'u2'), [s1, s2].sort())
  t.same(await userSegments(db, 'u3'), [])
  await interaction({ type: 'like', itemId: 'i-1', userId: 'u1' })
  await interaction({ type: 'click', itemId: 'i-1', userId: 'u2' })
  await interaction({ type: 'view', itemId: 'i-2', userId: 'u2' })
  await interaction({ type: 'hide', itemId: 'i-3', userId: 'u2' })
  t.same(await segmentPopularItems(db, [s1]), [
    { itemId: 'i-1', score: 5, users: 2 },
    { itemId: 'i-2', score: 1, users: 1 },
  ])
  t.same(await segmentPopularItems(db, []), [])
})

t.test('erasure deletes every row about the user, follows in both directions, and confirms', async (t) => {
  await interaction({ type: 'click', itemId: 'i-9', userId: 'u1', recommendationId: 'rec-u1' })
  await interaction({ type: 'follow', targetType: 'author', targetId: 'author-1', userId: 'u1' })
  await interaction({ type: 'follow', targetType: 'user', targetId: 'u2', userId: 'u1' })
  await interaction({ type: 'follow', targetType: 'user', targetId: 'u1', userId: 'u2' })
  await interaction({ type: 'follow', targetType: 'author', targetId: 'author-1', userId: 'u2' })
  const counts = async (userId: string) => ({
    interactions: (await db.selectFrom('userItemInteractions').select('itemId').where('userId', '=', userId).execute()).length,
    follows: (await db.selectFrom('follows').select('targetId').where('userId', '=', userId).execute()).length,
    followedBy: (await db.selectFrom('follows').select('userId').where('targetType', '=', 'user').where('targetId', '=', userId).execute()).length,
    feedback: (await db.selectFrom('recommendationFeedback').select('itemId').where('userId', '=', userId).execute()).length,
    preferences: (await db.selectFrom('userPreferences').select('userId').where('userId', '=', userId).execute()).length,
    segments: (await db.selectFrom('userSegments').select('segmentId').where('userId', '=', userId).execute()).length,
  })
  t.same(await counts('u1'), { interactions: 2, follows: 2, followedBy: 1, feedback: 1, preferences: 1, segments: 1 })
  const before = await counts('u2')

  const requestId = randomUUID()
  await publish('attune.privacy', 'privacy.erasure-requested', 'u1', { requestId, userId: 'u1' })
  t.same(await counts('u1'), { interactions: 0, follows: 0, followedBy: 0, feedback: 0, preferences: 0, segments: 0 })
  const u2 = await counts('u2')
  t.same(u2, { ...before, follows: before.follows - 1, followedBy: 0 }, 'of u2 only the follows between u1 and u2 went')
  t.same(await userFollows(db, 'u2'), { authors: ['author-1'], users: [] })

  const confirmation = await waitFor(
    () =>
      bus
        .messages('attune.privacy')
        .map((m) => JSON.parse(m.value))
        .find((e) => e.type === 'privacy.erasure-completed' && e.data.requestId === requestId),
    { what: 'erasure confirmation' },
  )
  t.same(confirmation.data, { requestId, userId: 'u1', service: 'recommendation' })
})
