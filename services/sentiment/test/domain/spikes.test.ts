import t from 'tap'
import { detectSpike } from '../../src/domain/spikes.ts'

t.test('a sudden rise of negative share over the baseline is a spike', async (t) => {
  const v = detectSpike({ total: 12, negative: 9 }, { total: 200, negative: 20 })
  t.ok(v.spike)
  t.equal(v.negativeShare, 0.75)
  t.ok(Math.abs(v.baselineShare - 23 / 220) < 1e-9, 'baseline smoothed with the prior: (20 + 0.15·20) / (200 + 20)')
})

t.test('no spike: too few negatives, a low share, or a key that is always this negative', async (t) => {
  t.notOk(detectSpike({ total: 4, negative: 4 }, { total: 0, negative: 0 }).spike, 'four complaints are not a crisis')
  t.notOk(detectSpike({ total: 40, negative: 10 }, { total: 0, negative: 0 }).spike, 'share 0.25 < 0.4')
  t.notOk(detectSpike({ total: 10, negative: 6 }, { total: 500, negative: 300 }).spike, 'usual share 0.6: not a rise')
  t.ok(detectSpike({ total: 10, negative: 6 }, { total: 0, negative: 0 }).spike, 'no history: compared with the prior 0.15')
})
