import type { Interaction } from '@attune/contracts'
import { loadConfig } from '@attune/kit'
import t from 'tap'
import { RecommendationConfigSchema } from '../../src/config.ts'
import { defaultWeights, interactionWeight, isNegativeFeedback, parseInteractionWeights } from '../../src/domain/interaction-weights.ts'

const id = '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10'
const on = (fields: Record<string, unknown>) => ({ id, userId: 'user-42', itemId: 'article-7', ...fields }) as Interaction

t.test('fixed weights per item interaction', async (t) => {
  const expected = { view: 1, click: 2, like: 3, share: 4, comment: 3, purchase: 5, hide: -2, not_interested: -3 }
  t.same(defaultWeights, expected)
  t.equal(interactionWeight(on({ type: 'view' })), 1)
  t.equal(interactionWeight(on({ type: 'click' })), 2)
  t.equal(interactionWeight(on({ type: 'like' })), 3)
  t.equal(interactionWeight(on({ type: 'share' })), 4)
  t.equal(interactionWeight(on({ type: 'comment', text: 'nice' })), 3)
  t.equal(interactionWeight(on({ type: 'purchase', amount: 10 })), 5)
  t.equal(interactionWeight(on({ type: 'hide' })), -2)
  t.equal(interactionWeight(on({ type: 'not_interested' })), -3)
})

t.test('dwell grows with time up to a click at 60 s, then is capped', async (t) => {
  t.equal(interactionWeight(on({ type: 'dwell', seconds: 15 })), 0.5)
  t.equal(interactionWeight(on({ type: 'dwell', seconds: 30 })), 1)
  t.equal(interactionWeight(on({ type: 'dwell', seconds: 60 })), 2)
  t.equal(interactionWeight(on({ type: 'dwell', seconds: 3600 })), 2)
})

t.test('ratings are centred on 3', async (t) => {
  t.equal(interactionWeight(on({ type: 'rating', value: 1 })), -2)
  t.equal(interactionWeight(on({ type: 'rating', value: 3 })), 0)
  t.equal(interactionWeight(on({ type: 'rating', value: 5 })), 2)
})

t.test('follows, ads and notifications carry no item weight', async (t) => {
  const base = { id, userId: 'user-42' }
  t.equal(interactionWeight({ ...base, type: 'follow', targetType: 'author', targetId: 'a-1' }), undefined)
  t.equal(interactionWeight({ ...base, type: 'unfollow', targetType: 'user', targetId: 'u-1' }), undefined)
  t.equal(interactionWeight({ ...base, type: 'ad_impression', adId: 'ad-1' }), undefined)
  t.equal(interactionWeight({ ...base, type: 'ad_click', adId: 'ad-1' }), undefined)
  t.equal(interactionWeight({ ...base, type: 'notification_open', notificationId: 'n-1' }), undefined)
})

t.test('INTERACTION_WEIGHTS overrides the defaults; a malformed value stops the start naming the variable', async (t) => {
  t.same(parseInteractionWeights(undefined), defaultWeights)
  t.same(parseInteractionWeights('like=4,hide=-5.5'), { ...defaultWeights, like: 4, hide: -5.5 })
  t.same(loadConfig(RecommendationConfigSchema, { DATABASE_URL: 'memory://', INTERACTION_WEIGHTS: 'view=0.5' }).INTERACTION_WEIGHTS, 'view=0.5')
  for (const bad of ['like', 'like=x', 'teleport=1', 'like=1;view=2', 'like=1,'])
    t.throws(
      () => loadConfig(RecommendationConfigSchema, { DATABASE_URL: 'memory://', INTERACTION_WEIGHTS: bad }),
      /^invalid configuration: INTERACTION_WEIGHTS /,
      bad,
    )
})

t.test('negative feedback: hides, not interested, ratings of 2 or less', async (t) => {
  t.ok(isNegativeFeedback(on({ type: 'hide' })))
  t.ok(isNegativeFeedback(on({ type: 'not_interested' })))
  t.ok(isNegativeFeedback(on({ type: 'rating', value: 2 })))
  t.notOk(isNegativeFeedback(on({ type: 'rating', value: 3 })))
  t.notOk(isNegativeFeedback(on({ type: 'view' })))
})
