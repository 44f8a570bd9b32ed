import type { Interaction, InteractionRecordedData } from '@attune/contracts'
import t from 'tap'
import { defaultWeights } from '../../src/domain/interaction-weights.ts'
import { applyIncrement, DWELL_CAP_SECONDS, userItemIncrements } from '../../src/domain/user-item-state.ts'

let n = 0
/** An interaction.recorded payload at minute `m` of the day; ids only need to be distinct here. */
function at(m: number, fields: Record<string, unknown>): InteractionRecordedData {
  const id = `0192f0a4-7c1e-7bb2-9a51-${String(++n).padStart(12, '0')}`
  const time = new Date(Date.UTC(2026, 10, 25, 0, m)).toISOString()
  return { interaction: { id, userId: 'u1', itemId: 'a', time, ...fields } as Interaction, receivedAt: time }
}
const weightAfter = (batch: InteractionRecordedData[], before = 0) => {
  const [inc] = userItemIncrements(batch)
  return inc ? applyIncrement(before, inc) : before
}

t.test('positive interactions add up; counts and times are kept', async (t) => {
  const [inc] = userItemIncrements([at(3, { type: 'like' }), at(1, { type: 'view' }), at(2, { type: 'click' })])
  t.match(inc, { userId: 'u1', itemId: 'a', add: 6, cap: null, events: 3, views: 1, clicks: 1, negatives: 0, lastType: 'like' })
  t.equal(inc?.firstAt.toISOString(), '2026-11-25T00:01:00.000Z')
  t.equal(inc?.lastAt.toISOString(), '2026-11-25T00:03:00.000Z', 'folded in time order, not arrival order')
})

t.test('negative feedback caps the weight at its own weight, whatever came before', async (t) => {
  t.equal(weightAfter([at(1, { type: 'like' }), at(2, { type: 'share' }), at(3, { type: 'hide' })]), defaultWeights.hide)
  t.equal(weightAfter([at(1, { type: 'hide' })], 50), defaultWeights.hide, 'also over a stored positive weight')
  t.equal(weightAfter([at(1, { type: 'hide' }), at(2, { type: 'click' })], 50), defaultWeights.hide + defaultWeights.click, 'later interactions count again')
  t.equal(weightAfter([at(1, { type: 'not_interested' }), at(2, { type: 'hide' })]), -5, 'repeated negative feedback adds up')
  t.equal(weightAfter([at(1, { type: 'rating', value: 2 })], 10), -1)
  t.equal(weightAfter([at(1, { type: 'rating', value: 3 })], 10), 10, 'a middling rating is neutral')
  t.equal(weightAfter([at(1, { type: 'hide' })], -10), -12, 'an already negative weight goes further down')
})

t.test('one batch equals the same events in several batches', async (t) => {
  const events = [
    at(1, { type: 'click' }),
    at(2, { type: 'like' }),
    at(3, { type: 'hide' }),
    at(4, { type: 'view' }),
    at(5, { type: 'rating', value: 1 }),
    at(6, { type: 'share' }),
  ]
  for (let split = 0; split <= events.length; split++) {
    const stepwise = weightAfter(events.slice(split), weightAfter(events.slice(0, split), 7))
    t.equal(stepwise, weightAfter(events, 7), `split at ${split}`)
  }
})

t.test('dwell: weight up to a click, seconds capped per event', async (t) => {
  const [inc] = userItemIncrements([at(1, { type: 'dwell', seconds: 30 }), at(2, { type: 'dwell', seconds: 5000 })])
  t.equal(inc?.add, 1 + 2)
  t.equal(inc?.dwellSeconds, 30 + DWELL_CAP_SECONDS)
})

t.test('configured weights are used', async (t) => {
  const [inc] = userItemIncrements([at(1, { type: 'like' })], { ...defaultWeights, like: 10 })
  t.equal(inc?.add, 10)
})

t.test('keys: per user (or anonymous id) and item; events without either are skipped', async (t) => {
  const incs = userItemIncrements([
    at(1, { type: 'view', itemId: 'a' }),
    at(2, { type: 'view', itemId: 'b' }),
    at(3, { type: 'view', userId: undefined, anonymousId: 'anon-1' }),
    at(4, { type: 'view', userId: undefined }),
    at(5, { type: 'follow', itemId: undefined, targetType: 'author', targetId: 'x' }),
    at(6, { type: 'ad_click', itemId: undefined, adId: 'ad-1' }),
  ])
  t.same(
    incs.map((i) => `${i.userId}/${i.itemId}`),
    ['u1/a', 'u1/b', 'anon-1/a'],
  )
})
