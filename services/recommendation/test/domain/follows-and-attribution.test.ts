import type { Interaction, InteractionRecordedData } from '@attune/contracts'
import t from 'tap'
import { feedbackIncrements } from '../../src/domain/attribution.ts'
import { followChanges } from '../../src/domain/follows.ts'

let n = 0
function at(m: number, fields: Record<string, unknown>): InteractionRecordedData {
  const id = `0192f0a4-7c1e-7bb2-9a51-${String(++n).padStart(12, '0')}`
  const time = new Date(Date.UTC(2026, 10, 25, 0, m)).toISOString()
  return { interaction: { id, userId: 'u1', time, ...fields } as Interaction, receivedAt: time }
}

t.test('the last follow or unfollow per target wins, in time order', async (t) => {
  const changes = followChanges([
    at(2, { type: 'unfollow', targetType: 'author', targetId: 'a1' }),
    at(1, { type: 'follow', targetType: 'author', targetId: 'a1' }),
    at(3, { type: 'follow', targetType: 'user', targetId: 'u2' }),
    at(4, { type: 'follow', targetType: 'user', targetId: 'u1' }),
    at(5, { type: 'like', itemId: 'x' }),
  ])
  t.same(
    changes.map((c) => [c.targetType, c.targetId, c.active, c.changedAt.toISOString()]),
    [
      ['author', 'a1', false, '2026-11-25T00:02:00.000Z'],
      ['user', 'u2', true, '2026-11-25T00:03:00.000Z'],
    ],
    'following oneself and non-follow events are ignored',
  )
})

t.test('interactions with a recommendationId are counted per recommendation, item and user', async (t) => {
  const incs = feedbackIncrements([
    at(1, { type: 'view', itemId: 'x', recommendationId: 'r1' }),
    at(2, { type: 'click', itemId: 'x', recommendationId: 'r1' }),
    at(3, { type: 'like', itemId: 'x', recommendationId: 'r1' }),
    at(4, { type: 'rating', itemId: 'x', value: 2, recommendationId: 'r1' }),
    at(5, { type: 'rating', itemId: 'x', value: 4, recommendationId: 'r1' }),
    at(6, { type: 'view', itemId: 'y', recommendationId: 'r1' }),
    at(7, { type: 'click', itemId: 'y' }),
    at(8, { type: 'view', itemId: 'y', recommendationId: 'r1', userId: undefined }),
  ])
  t.same(
    incs.map((i) => ({ ...i, firstAt: i.firstAt.toISOString().slice(11, 16), lastAt: i.lastAt.toISOString().slice(11, 16) })),
    [
      { recommendationId: 'r1', itemId: 'x', userId: 'u1', views: 1, clicks: 1, engagements: 2, negatives: 1, firstAt: '00:01', lastAt: '00:05' },
      { recommendationId: 'r1', itemId: 'y', userId: 'u1', views: 1, clicks: 0, engagements: 0, negatives: 0, firstAt: '00:06', lastAt: '00:06' },
    ],
  )
})
