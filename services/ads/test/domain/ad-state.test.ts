// The packed per-rank state reads back as the campaign and ad it was written from: pacing
// decides the same, and the posterior and price are the same numbers.
import t from 'tap'
import { cpcAt, pacingAt, posteriorAAt, posteriorBAt, priceAt, STRIDE, writeAdState } from '../../src/domain/ad-state.ts'
import type { LiveAd, LiveCampaign } from '../../src/domain/live.ts'
import { canServe } from '../../src/domain/pacing.ts'
import { seededRng } from '../../src/domain/random.ts'

const DAY = 86_400_000
const rng = seededRng(4)
const day = Date.UTC(2026, 10, 25)

function randomCampaign(): LiveCampaign {
  const dailyBudget = rng() < 0.5 ? null : Math.round(rng() * 20)
  const totalBudget = Math.round(rng() * 200)
  return {
    startAt: day - DAY + Math.floor(rng() * 2 * DAY),
    endAt: rng() < 0.5 ? null : day + Math.floor(rng() * 10 * DAY),
    totalBudget,
    dailyBudget,
    spent: rng() * totalBudget * 1.2,
    spentToday: rng() * (dailyBudget ?? 20) * 1.2,
    price: rng() < 0.2 ? 0 : Math.round(rng() * 500) / 100,
    pacing: rng() < 0.5 ? 'even' : 'asap',
    priceModel: rng() < 0.5 ? 'cpc' : 'cpm',
  } as LiveCampaign
}

t.test('pacing, price and posterior read back as written', async (t) => {
  const state = new Float64Array(STRIDE * 3)
  let served = 0
  for (let i = 0; i < 2000; i++) {
    const campaign = randomCampaign()
    const ad = { campaign, posterior: { a: 1 + rng() * 50, b: 10 + rng() * 5000 }, featureStats: new Map() } as unknown as LiveAd
    const rank = i % 3
    writeAdState(state, rank, ad)
    const now = day + Math.floor(rng() * DAY)
    const expected = canServe(campaign, now)
    if (canServe(pacingAt(state, rank), now) !== expected) t.fail(`campaign ${JSON.stringify(campaign)} at ${now}`)
    if (expected) served++
    if (priceAt(state, rank) !== campaign.price || cpcAt(state, rank) !== (campaign.priceModel === 'cpc')) t.fail('price')
    if (posteriorAAt(state, rank) !== ad.posterior.a || posteriorBAt(state, rank) !== ad.posterior.b) t.fail('posterior')
  }
  t.ok(served > 100 && served < 1900, `both answers were exercised (${served} of 2000 served)`)
})
