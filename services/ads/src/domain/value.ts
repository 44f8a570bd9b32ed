import type { LiveCampaign } from './live.ts'

/**
 * The bid weight w such that an ad's expected value per impression is w·CTR: a CPC price as is
 * (value = cpc × CTR); a CPM price per impression (cpm / 1000) relative to the prior mean CTR,
 * so a CPM ad of average CTR is worth its price and a more clicked one more (sites prefer ads
 * people engage with). Free (house) ads get a tiny weight, so CTR alone orders them.
 */
export function bidWeight(c: Pick<LiveCampaign, 'priceModel' | 'price'>, priorMean: number): number {
  return bidWeightOf(c.priceModel === 'cpc', c.price, priorMean)
}

/** `bidWeight` from the price model (CPC or not) and the price. */
export function bidWeightOf(cpc: boolean, price: number, priorMean: number): number {
  const w = cpc ? price : price / 1000 / priorMean
  return Math.max(w, 1e-9)
}

/** What one impression of the campaign costs (clicks are charged on click). */
export function impressionCost(c: Pick<LiveCampaign, 'priceModel' | 'price'>): number {
  return c.priceModel === 'cpm' ? c.price / 1000 : 0
}

export function clickCost(c: Pick<LiveCampaign, 'priceModel' | 'price'>): number {
  return c.priceModel === 'cpc' ? c.price : 0
}
