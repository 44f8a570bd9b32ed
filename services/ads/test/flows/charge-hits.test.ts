// Charging a batch of hits, pure: the budget rule of one hit at a time, applied in arrival order.
import t from 'tap'
import { seededRng } from '../../src/domain/random.ts'
import { type CampaignBudget, chargeHits, type HitCost } from '../../src/flows/charge-hits.ts'

const budget = (b: Partial<CampaignBudget> = {}): CampaignBudget => ({ spent: 0, totalBudget: 1000, dailyBudget: null, spentOn: new Map(), ...b })
const hits = (n: number, h: Partial<HitCost> = {}): HitCost[] => Array.from({ length: n }, () => ({ campaignId: 'a', day: '2026-12-07', cost: 2, ...h }))

t.test('charges while the total budget is not reached, so a campaign ends at most one price over', async (t) => {
  t.same(chargeHits(hits(5), new Map([['a', budget({ spent: 1, totalBudget: 5 })]])), [2, 2, 0, 0, 0], 'spent 1, 3, then 5: reached')
  t.same(chargeHits(hits(3), new Map([['a', budget({ spent: 4.5, totalBudget: 5 })]])), [2, 0, 0], 'one price over at most (6.5)')
  t.same(chargeHits(hits(2), new Map([['a', budget({ spent: 5, totalBudget: 5 })]])), [0, 0], 'already there')
})

t.test('a daily budget counts what was spent on the hit’s own day', async (t) => {
  const spentOn = new Map([
    ['2026-12-07', 3],
    ['2026-12-08', 0],
  ])
  const days = [...hits(3), ...hits(3, { day: '2026-12-08' }), ...hits(1, { day: '2026-12-09' })]
  t.same(
    chargeHits(days, new Map([['a', budget({ dailyBudget: 4, spentOn })]])),
    [2, 0, 0, 2, 2, 0, 2],
    '3 → 5 on the 7th; 0 → 2 → 4 on the 8th; none yet on the 9th',
  )
  t.same(chargeHits(hits(3), new Map([['a', budget({ spent: 9, totalBudget: 10, dailyBudget: 100 })]])), [2, 0, 0], 'the total still binds')
})

t.test('campaigns apart, unknown campaigns and free hits', async (t) => {
  const budgets = new Map([
    ['a', budget({ totalBudget: 2 })],
    ['b', budget({ totalBudget: 4 })],
  ])
  const mixed: HitCost[] = [
    { campaignId: 'a', day: 'd', cost: 2 },
    { campaignId: 'b', day: 'd', cost: 2 },
    { campaignId: 'a', day: 'd', cost: 0 },
    { campaignId: 'gone', day: 'd', cost: 2 },
    { campaignId: 'a', day: 'd', cost: 2 },
    { campaignId: 'b', day: 'd', cost: 2 },
    { campaignId: 'b', day: 'd', cost: 2 },
  ]
  t.same(chargeHits(mixed, budgets), [2, 2, 0, 0, 0, 2, 0])
  t.same(budgets.get('a'), budget({ totalBudget: 2 }), 'the budgets given are not changed')
})

t.test('a batch is charged exactly as its hits one at a time', async (t) => {
  const rng = seededRng(7)
  const draw = (n: number) => Math.floor(rng() * n)
  for (let round = 0; round < 200; round++) {
    const before = new Map(
      ['a', 'b', 'c'].map((id) => [
        id,
        budget({ spent: draw(10), totalBudget: draw(20), dailyBudget: rng() < 0.5 ? null : draw(8), spentOn: new Map([['d1', draw(4)]]) }),
      ]),
    )
    const batch = Array.from({ length: 1 + draw(30) }, () => ({
      campaignId: ['a', 'b', 'c', 'unknown'][draw(4)] as string,
      day: rng() < 0.8 ? 'd1' : 'd2',
      cost: rng() < 0.2 ? 0 : 0.5 + draw(4),
    }))
    // One at a time: each hit charged against what the earlier ones left.
    const budgets = new Map(before)
    const alone = batch.map((h) => {
      const charged = chargeHits([h], budgets)[0] as number
      const b = budgets.get(h.campaignId)
      if (b && charged > 0)
        budgets.set(h.campaignId, { ...b, spent: b.spent + charged, spentOn: new Map([...b.spentOn, [h.day, (b.spentOn.get(h.day) ?? 0) + charged]]) })
      return charged
    })
    t.same(chargeHits(batch, before), alone, `round ${round}`)
  }
})
