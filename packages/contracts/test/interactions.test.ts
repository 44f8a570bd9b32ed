import t from 'tap'
import { Value } from 'typebox/value'
import { Interaction, InteractionRecorded, InteractionTypes, isItemInteraction } from '../src/interactions.ts'

const id = '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10'
const base = { id, userId: 'user-42' }

/** One valid interaction of every type, as a client would send it. */
const valid: Record<string, Record<string, unknown>> = {
  view: { ...base, type: 'view', itemId: 'article-7', recommendationId: 'rec-1' },
  click: { ...base, type: 'click', itemId: 'article-7' },
  like: { ...base, type: 'like', itemId: 'article-7' },
  share: { ...base, type: 'share', itemId: 'article-7', channel: 'email' },
  comment: { ...base, type: 'comment', itemId: 'article-7', text: 'Great read' },
  dwell: { ...base, type: 'dwell', itemId: 'article-7', seconds: 48.5 },
  follow: { ...base, type: 'follow', targetType: 'author', targetId: 'author-3' },
  unfollow: { ...base, type: 'unfollow', targetType: 'user', targetId: 'user-9' },
  hide: { ...base, type: 'hide', itemId: 'article-7' },
  not_interested: { ...base, type: 'not_interested', itemId: 'article-7' },
  rating: { ...base, type: 'rating', itemId: 'article-7', value: 4 },
  purchase: { ...base, type: 'purchase', itemId: 'plan-pro', amount: 9.99 },
  ad_impression: { ...base, type: 'ad_impression', adId: 'ad-1', placementId: 'top-banner', decisionId: 'd-1' },
  ad_click: { ...base, type: 'ad_click', adId: 'ad-1' },
  notification_open: { ...base, type: 'notification_open', notificationId: 'n-77' },
  identify: { ...base, type: 'identify', anonymousId: 'anon-1' },
}

const { view, comment, dwell, follow, rating } = valid

t.test('accepts one example of every interaction type', async (t) => {
  for (const type of InteractionTypes) {
    const example = valid[type]
    if (!example) t.fail(`no example of ${type}`)
    else t.ok(Value.Check(Interaction, example), type)
  }
})

t.test('accepts the optional common fields', async (t) => {
  t.ok(
    Value.Check(Interaction, {
      ...view,
      anonymousId: 'anon-1',
      time: '2026-11-25T09:00:00Z',
      context: { url: 'https://news.example/a/7', referrer: 'https://search.example', locale: 'en-GB', channel: 'web', device: 'mobile' },
      properties: { category: 'tech', position: 3, promoted: false },
    }),
  )
  t.ok(Value.Check(Interaction, { id, type: 'view', anonymousId: 'anon-1', itemId: 'article-7' }), 'no userId: the schema leaves that check to the collector')
})

t.test('rejects', async (t) => {
  const cases: [string, unknown][] = [
    ['an unknown type', { ...view, type: 'bookmark' }],
    ['a missing type', { id, userId: 'user-42', itemId: 'article-7' }],
    ['a view without itemId', { id, type: 'view', userId: 'user-42' }],
    ['a comment without text', { ...base, type: 'comment', itemId: 'article-7' }],
    ['a comment with empty text', { ...comment, text: '' }],
    ['dwell of 0 seconds', { ...dwell, seconds: 0 }],
    ['dwell of negative seconds', { ...dwell, seconds: -5 }],
    ['dwell over a day', { ...dwell, seconds: 86401 }],
    ['dwell seconds as a string', { ...dwell, seconds: '48' }],
    ['rating 0', { ...rating, value: 0 }],
    ['rating 6', { ...rating, value: 6 }],
    ['follow of a topic', { ...follow, targetType: 'topic' }],
    ['an extra property', { ...view, extra: true }],
    ['a property of another variant', { ...view, seconds: 3 }],
    ['an itemId with a space', { ...view, itemId: 'article 7' }],
    ['a userId with a tab', { ...view, userId: 'user\t42' }],
    ['an itemId of 129 characters', { ...view, itemId: 'a'.repeat(129) }],
    ['an empty itemId', { ...view, itemId: '' }],
    ['a bad uuid', { ...view, id: 'not-a-uuid' }],
    ['a uuid one digit short', { ...view, id: id.slice(0, -1) }],
    ['a time that is not RFC 3339', { ...view, time: 'yesterday' }],
    ['an unknown context field', { ...view, context: { os: 'linux' } }],
    ['properties with 51 keys', { ...view, properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }],
    ['a nested property value', { ...view, properties: { a: { b: 1 } } }],
  ]
  for (const [name, value] of cases) t.notOk(Value.Check(Interaction, value), name)
})

t.test('boundaries that are still valid', async (t) => {
  t.ok(Value.Check(Interaction, { ...view, itemId: 'a'.repeat(128) }), 'itemId of 128 characters')
  t.ok(Value.Check(Interaction, { ...dwell, seconds: 86400 }), 'dwell of exactly a day')
  t.ok(Value.Check(Interaction, { ...rating, value: 1 }), 'rating 1')
  t.ok(Value.Check(Interaction, { ...rating, value: 5 }), 'rating 5')
  t.ok(Value.Check(Interaction, { ...view, properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])) }), '50 properties')
})

t.test('isItemInteraction tells item events from the others', async (t) => {
  t.ok(isItemInteraction(dwell as Interaction))
  t.notOk(isItemInteraction(follow as Interaction))
  t.notOk(isItemInteraction(valid.ad_click as Interaction))
})

t.test('InteractionRecorded envelope', async (t) => {
  const recorded = {
    id: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a99',
    type: 'interaction.recorded',
    source: 'profiling',
    time: '2026-11-25T09:00:00.000Z',
    subject: 'user-42',
    schemaVersion: 1,
    data: { interaction: { ...view, time: '2026-11-25T09:00:00.000Z' }, receivedAt: '2026-11-25T09:00:01.000Z' },
  }
  t.ok(Value.Check(InteractionRecorded, recorded), 'a well-formed event')
  t.notOk(Value.Check(InteractionRecorded, { ...recorded, schemaVersion: 0 }), 'schemaVersion 0')
  t.notOk(Value.Check(InteractionRecorded, { ...recorded, id: 'event-1' }), 'an id that is not a uuid')
  t.notOk(Value.Check(InteractionRecorded, { ...recorded, extra: 1 }), 'an extra envelope field')
  t.notOk(Value.Check(InteractionRecorded, { ...recorded, data: { ...recorded.data, extra: 1 } }), 'an extra data field')
  t.notOk(Value.Check(InteractionRecorded, { ...recorded, data: { interaction: recorded.data.interaction } }), 'data without receivedAt')
  t.notOk(
    Value.Check(InteractionRecorded, { ...recorded, data: { ...recorded.data, interaction: { ...view, type: 'bookmark' } } }),
    'an invalid interaction inside',
  )
})
