import type { LiveAd } from './live.ts'
import type { PacingState } from './pacing.ts'

/**
 * What a decision reads of each ad on its hot path, packed per rank of a TierIndex in one
 * Float64Array (STRIDE numbers each): the campaign's flight, budget and spend for pacing, its
 * price, and the ad's posterior. The ad and campaign objects stay the truth; the catalog copies
 * them here again (`writeAdState`) whenever it changes spend or counts.
 */
export const STRIDE = 10

const START = 0
const END = 1
const TOTAL = 2
const DAILY = 3
const SPENT = 4
const TODAY = 5
const PRICE = 6
const FLAGS = 7
const A = 8
const B = 9

const HAS_END = 1
const HAS_DAILY = 2
const ASAP = 4
const CPC = 8
/** The ad has counts per page feature (featureStats is not empty). */
const FEATURES = 16

export function writeAdState(state: Float64Array, rank: number, ad: LiveAd): void {
  const c = ad.campaign
  const o = rank * STRIDE
  state[o + START] = c.startAt
  state[o + END] = c.endAt ?? 0
  state[o + TOTAL] = c.totalBudget
  state[o + DAILY] = c.dailyBudget ?? 0
  state[o + SPENT] = c.spent
  state[o + TODAY] = c.spentToday
  state[o + PRICE] = c.price
  state[o + FLAGS] =
    (c.endAt !== null ? HAS_END : 0) |
    (c.dailyBudget !== null ? HAS_DAILY : 0) |
    (c.pacing === 'asap' ? ASAP : 0) |
    (c.priceModel === 'cpc' ? CPC : 0) |
    (ad.featureStats.size > 0 ? FEATURES : 0)
  state[o + A] = ad.posterior.a
  state[o + B] = ad.posterior.b
}

/** One reused view of a rank's pacing fields (decisions run one at a time): what `canServe` reads. */
const view: PacingState = { startAt: 0, endAt: null, totalBudget: 0, dailyBudget: null, spent: 0, spentToday: 0, price: 0, pacing: 'even' }

/** The pacing fields of a rank, in a view valid until the next call. */
export function pacingAt(state: Float64Array, rank: number): PacingState {
  const o = rank * STRIDE
  const flags = state[o + FLAGS] as number
  view.startAt = state[o + START] as number
  view.endAt = flags & HAS_END ? (state[o + END] as number) : null
  view.totalBudget = state[o + TOTAL] as number
  view.dailyBudget = flags & HAS_DAILY ? (state[o + DAILY] as number) : null
  view.spent = state[o + SPENT] as number
  view.spentToday = state[o + TODAY] as number
  view.price = state[o + PRICE] as number
  view.pacing = flags & ASAP ? 'asap' : 'even'
  return view
}

export const priceAt = (state: Float64Array, rank: number): number => state[rank * STRIDE + PRICE] as number
export const cpcAt = (state: Float64Array, rank: number): boolean => ((state[rank * STRIDE + FLAGS] as number) & CPC) !== 0
export const hasFeaturesAt = (state: Float64Array, rank: number): boolean => ((state[rank * STRIDE + FLAGS] as number) & FEATURES) !== 0
export const posteriorAAt = (state: Float64Array, rank: number): number => state[rank * STRIDE + A] as number
export const posteriorBAt = (state: Float64Array, rank: number): number => state[rank * STRIDE + B] as number
