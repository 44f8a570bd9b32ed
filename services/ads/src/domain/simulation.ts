import type { LiveCampaign } from './live.ts'
import { canServe } from './pacing.ts'
import type { Rng } from './random.ts'
import { adPosterior, type BetaParams, type Counts, featurePosterior, type Prior, thompsonChoose } from './thompson.ts'

/**
 * Offline simulations with known truth. Bandit: synthetic visitors arrive on pages of `contexts`
 * kinds; ad k is clicked with probability ctr[context][k]; every ad pays the same per click, so
 * the best policy shows argmax_k ctr[context][k]. Regret = Σ (best CTR − CTR of the shown ad).
 */
export interface BanditWorld {
  ctr: number[][]
  rounds: number
}

export type PolicyName = 'thompson' | 'thompson-context' | 'greedy' | 'random'

export interface PolicyResult {
  policy: PolicyName
  clicks: number
  ctr: number
  regret: number
}

/** Runs one policy over the world; each policy sees only its own impressions and clicks. */
export function simulateBandit(world: BanditWorld, policy: PolicyName, rng: Rng, prior: Prior): PolicyResult {
  const k = world.ctr[0]?.length ?? 0
  const overall: Counts[] = Array.from({ length: k }, () => ({ impressions: 0, clicks: 0 }))
  const byContext: Counts[][] = world.ctr.map(() => Array.from({ length: k }, () => ({ impressions: 0, clicks: 0 })))
  const weights = new Array<number>(k).fill(1)
  let clicks = 0
  let regret = 0
  for (let r = 0; r < world.rounds; r++) {
    const ctx = Math.floor(rng() * world.ctr.length)
    const row = world.ctr[ctx] as number[]
    let choice = 0
    if (policy === 'random') {
      choice = Math.floor(rng() * k)
    } else if (policy === 'greedy') {
      let best = -1
      for (let j = 0; j < k; j++) {
        const c = overall[j] as Counts
        const m = (c.clicks + prior.mean * prior.strength) / (c.impressions + prior.strength)
        if (m > best) {
          best = m
          choice = j
        }
      }
    } else {
      const posteriors: BetaParams[] = overall.map((c, j) => {
        const ad = adPosterior(prior, c)
        return policy === 'thompson-context' ? featurePosterior(ad, byContext[ctx]?.[j]) : ad
      })
      choice = thompsonChoose(rng, posteriors, weights, 0).index
    }
    const clicked = rng() < (row[choice] as number) ? 1 : 0
    clicks += clicked
    regret += Math.max(...row) - (row[choice] as number)
    const o = overall[choice] as Counts
    o.impressions++
    o.clicks += clicked
    const c = (byContext[ctx] as Counts[])[choice] as Counts
    c.impressions++
    c.clicks += clicked
  }
  return { policy, clicks, ctr: clicks / world.rounds, regret }
}

/**
 * Pacing: one UTC day of requests whose rate follows a daily curve (quiet at night, peaks in the
 * evening); each campaign, when `canServe`, is shown and charged its CPM price. Returns each
 * campaign's spend against its daily budget, and the share of spend per 6-hour quarter.
 */
export function simulatePacing(campaigns: LiveCampaign[], requestsPerDay: number, dayStart: number, rng: Rng) {
  const quarters = campaigns.map(() => [0, 0, 0, 0])
  const curve = (h: number) => 0.3 + Math.max(0, Math.sin(((h - 6) / 24) * 2 * Math.PI)) + (h >= 18 && h < 22 ? 0.6 : 0)
  let total = 0
  for (let h = 0; h < 24; h++) total += curve(h)
  for (let h = 0; h < 24; h++) {
    const n = Math.round((requestsPerDay * curve(h)) / total)
    for (let i = 0; i < n; i++) {
      const now = dayStart + h * 3_600_000 + Math.floor(((i + rng()) / n) * 3_600_000)
      for (const [j, c] of campaigns.entries()) {
        if (!canServe(c, now)) continue
        const cost = c.price / 1000
        c.spent += cost
        c.spentToday += cost
        const q = quarters[j] as number[]
        q[Math.floor(h / 6)] = (q[Math.floor(h / 6)] ?? 0) + cost
        break
      }
    }
  }
  return campaigns.map((c, j) => ({
    campaignId: c.campaignId,
    dailyBudget: c.dailyBudget ?? 0,
    spent: c.spentToday,
    ratio: c.spentToday / (c.dailyBudget ?? 1),
    quarterShares: (quarters[j] as number[]).map((q) => q / Math.max(c.spentToday, 1e-12)),
  }))
}
