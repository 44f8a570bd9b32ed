// `pnpm --filter @attune/ads simulate`: the bandit against random and greedy baselines on
// synthetic users with known CTRs (CTR and regret), then a day of even pacing against budgets.
// SIM_ROUNDS (default 50000), SIM_SEED (default 42). Prints a table, then one JSON line.
import type { LiveCampaign } from '../domain/live.ts'
import { seededRng } from '../domain/random.ts'
import { type PolicyName, simulateBandit, simulatePacing } from '../domain/simulation.ts'

const rounds = Number(process.env.SIM_ROUNDS ?? 50_000)
const seed = Number(process.env.SIM_SEED ?? 42)
const prior = { mean: 0.01, strength: 50 }

// Five ads, three page contexts; the best ad differs by context (so context features pay).
const world = {
  rounds,
  ctr: [
    [0.02, 0.035, 0.01, 0.015, 0.025],
    [0.03, 0.01, 0.045, 0.015, 0.02],
    [0.01, 0.02, 0.015, 0.04, 0.025],
  ],
}
const policies: PolicyName[] = ['random', 'greedy', 'thompson', 'thompson-context']
const bandit = policies.map((p) => simulateBandit(world, p, seededRng(seed), prior))
const oracleCtr = world.ctr.reduce((s, row) => s + Math.max(...row), 0) / world.ctr.length

const dayStart = Date.UTC(2026, 10, 25)
const base: Omit<LiveCampaign, 'campaignId' | 'name' | 'price' | 'dailyBudget'> = {
  advertiserId: 'adv',
  advertiserName: 'Sim',
  blockedCategories: [],
  tier: 'standard',
  priceModel: 'cpm',
  pacing: 'even',
  totalBudget: 1e9,
  spent: 0,
  spentToday: 0,
  startAt: 0,
  endAt: null,
  targeting: { keywords: [], urlContains: [], categories: [], segments: [], interests: [], languages: [], countries: [] },
  frequencyCap: null,
  placementIds: null,
}
const campaigns: LiveCampaign[] = [
  { ...base, campaignId: 'even-100', name: 'even-100', price: 4, dailyBudget: 100 },
  { ...base, campaignId: 'even-250', name: 'even-250', price: 2.5, dailyBudget: 250 },
  { ...base, campaignId: 'even-40', name: 'even-40', price: 1, dailyBudget: 40 },
]
// ≈ 3× the impressions the budgets can buy, so pacing (not traffic) limits spend.
const pacing = simulatePacing(campaigns, 600_000, dayStart, seededRng(seed))

const pad = (s: string | number, n: number) => String(s).padEnd(n)
const lines = [
  `Bandit: ${rounds} visitors, 5 CPC ads at one price, 3 page contexts; oracle CTR ${oracleCtr.toFixed(4)}`,
  `${pad('policy', 18)}${pad('CTR', 10)}${pad('regret', 10)}regret/visit`,
  ...bandit.map((b) => `${pad(b.policy, 18)}${pad(b.ctr.toFixed(4), 10)}${pad(b.regret.toFixed(1), 10)}${(b.regret / rounds).toFixed(5)}`),
  '',
  'Even pacing: one day, 600000 requests on a daily traffic curve, 3 campaigns',
  `${pad('campaign', 12)}${pad('budget', 10)}${pad('spent', 10)}${pad('spent/budget', 14)}share per 6h quarter`,
  ...pacing.map(
    (p) =>
      `${pad(p.campaignId, 12)}${pad(p.dailyBudget, 10)}${pad(p.spent.toFixed(2), 10)}${pad(`${(p.ratio * 100).toFixed(1)}%`, 14)}${p.quarterShares.map((q) => `${(q * 100).toFixed(0)}%`).join(' ')}`,
  ),
  JSON.stringify({ seed, rounds, oracleCtr, bandit, pacing }),
]
process.stdout.write(`${lines.join('\n')}\n`)
