// The typed-array sampler (what decide uses) and the object API (the simulation's) keep the same
// contenders and draw the same choice, propensity and CTR, from the same seed, as the sampler
// before it moved to typed arrays: the fixture was recorded from commit f997942's thompson.ts.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { seededRng } from '../../src/domain/random.ts'
import { type BetaParams, candidates, keepContenders, thompsonAmong, thompsonChoose } from '../../src/domain/thompson.ts'

const recorded = JSON.parse(readFileSync(new URL('./fixtures/thompson-f997942.json', import.meta.url), 'utf8')) as {
  live: number[]
  choice: { index: number; propensity: number; ctr: number }
}[]

t.test('keepContenders, thompsonAmong and thompsonChoose give what the earlier sampler gave', async (t) => {
  const rng = seededRng(21)
  t.equal(recorded.length, 300)
  for (let round = 0; round < recorded.length; round++) {
    const n = 1 + Math.floor(rng() * 20)
    const posteriors: BetaParams[] = Array.from({ length: n }, () => ({ a: 0.2 + rng() * (rng() < 0.5 ? 5 : 200), b: 5 + rng() * 5000 }))
    const weights = Array.from({ length: n }, () => 0.1 + rng() * 3)
    const { live, choice } = recorded[round] as (typeof recorded)[number]
    const c = candidates(n)
    posteriors.forEach((p, i) => {
      c.a[i] = p.a
      c.b[i] = p.b
      c.w[i] = weights[i] as number
    })
    const m = keepContenders(c, n, true)
    t.same([...c.live.subarray(0, m)], live, `round ${round}: the same contenders`)
    t.same(thompsonAmong(seededRng(round), m, 16), choice, `round ${round}: the same choice`)
    const objects = thompsonChoose(
      seededRng(round),
      live.map((i) => posteriors[i] as BetaParams),
      live.map((i) => weights[i] as number),
      16,
    )
    t.same(objects, choice, `round ${round}: the object API too`)
  }
})
