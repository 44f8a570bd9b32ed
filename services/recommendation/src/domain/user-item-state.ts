import { type InteractionRecordedData, isItemInteraction } from '@attune/contracts'
import { actorOf, inTimeOrder } from './interaction-actor.ts'
import { type InteractionWeights, interactionWeight, isNegativeFeedback } from './interaction-weights.ts'

/** Dwell counted per event is capped here, so a tab left open does not count for hours. */
export const DWELL_CAP_SECONDS = 600

/**
 * A batch's change to one (user, item) row. Each event maps the weight W to min(W + w, c), where c
 * is w itself for negative feedback (the weight drops to at most that, however positive it was) and
 * +∞ otherwise. Such maps compose to min(W + add, cap), so a whole batch is one increment:
 * new weight = min(old + add, cap), and a fresh row starts from 0.
 */
export interface UserItemIncrement {
  userId: string
  itemId: string
  add: number
  /** null = +∞ (no negative feedback in the batch). */
  cap: number | null
  events: number
  views: number
  clicks: number
  negatives: number
  dwellSeconds: number
  firstAt: Date
  lastAt: Date
  lastType: string
}

/** The weight a row ends with after an increment, from `before` (0 for a new row). */
export function applyIncrement(before: number, inc: Pick<UserItemIncrement, 'add' | 'cap'>): number {
  return inc.cap === null ? before + inc.add : Math.min(before + inc.add, inc.cap)
}

/** Folds a batch into one increment per (user, item), in time order; events without an actor or item are skipped. */
export function userItemIncrements(batch: InteractionRecordedData[], weights?: InteractionWeights): UserItemIncrement[] {
  const byKey = new Map<string, UserItemIncrement>()
  for (const { data, at } of inTimeOrder(batch)) {
    const i = data.interaction
    const userId = actorOf(i)
    if (!userId || !isItemInteraction(i)) continue
    const w = interactionWeight(i, weights)
    if (w === undefined) continue
    const negative = isNegativeFeedback(i)
    const key = `${userId}\u0000${i.itemId}`
    let inc = byKey.get(key)
    if (!inc) {
      inc = {
        userId,
        itemId: i.itemId,
        add: 0,
        cap: null,
        events: 0,
        views: 0,
        clicks: 0,
        negatives: 0,
        dwellSeconds: 0,
        firstAt: at,
        lastAt: at,
        lastType: i.type,
      }
      byKey.set(key, inc)
    }
    // min(min(W + add, cap) + w, c) = min(W + add + w, cap + w, c)
    inc.add += w
    if (inc.cap !== null) inc.cap += w
    if (negative) inc.cap = inc.cap === null ? w : Math.min(inc.cap, w)
    inc.events++
    if (i.type === 'view') inc.views++
    if (i.type === 'click') inc.clicks++
    if (negative) inc.negatives++
    if (i.type === 'dwell') inc.dwellSeconds += Math.min(i.seconds, DWELL_CAP_SECONDS)
    inc.lastAt = at
    inc.lastType = i.type
  }
  return [...byKey.values()]
}
