/** What a campaign has spent and may spend, as locked for a batch of hits. */
export interface CampaignBudget {
  spent: number
  totalBudget: number
  dailyBudget: number | null
  /** Spent on each UTC day (`YYYY-MM-DD`) of the batch's hits; a day not there is 0. */
  spentOn: ReadonlyMap<string, number>
}

/** A first hit to charge: its campaign, its UTC day and its price (0: nothing to charge). */
export interface HitCost {
  campaignId: string
  day: string
  cost: number
}

/**
 * What each hit is charged, in the order given (arrival): its cost while its campaign has spent
 * less than its total budget and, with a daily budget, less than that on the hit's day; else 0,
 * as for a campaign not found. The rule of one hit per transaction, applied in turn, so a campaign
 * still ends at most one price above either budget.
 */
export function chargeHits(hits: readonly HitCost[], budgets: ReadonlyMap<string, CampaignBudget>): number[] {
  const spent = new Map<string, number>()
  const spentOnDay = new Map<string, number>()
  return hits.map((h) => {
    const b = budgets.get(h.campaignId)
    if (!b || h.cost <= 0) return 0
    const total = spent.get(h.campaignId) ?? b.spent
    const dayKey = `${h.campaignId}\u0000${h.day}`
    const today = spentOnDay.get(dayKey) ?? b.spentOn.get(h.day) ?? 0
    if (total >= b.totalBudget || (b.dailyBudget !== null && today >= b.dailyBudget)) return 0
    spent.set(h.campaignId, total + h.cost)
    spentOnDay.set(dayKey, today + h.cost)
    return h.cost
  })
}
