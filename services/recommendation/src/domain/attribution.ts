import { type InteractionRecordedData, isItemInteraction } from '@attune/contracts'
import { actorOf, occurredAt } from './interaction-actor.ts'
import { isNegativeFeedback } from './interaction-weights.ts'

/** Counts a batch adds to one (recommendation, item, user) feedback row. */
export interface FeedbackIncrement {
  recommendationId: string
  itemId: string
  userId: string
  views: number
  clicks: number
  engagements: number
  negatives: number
  firstAt: Date
  lastAt: Date
}

/** Interactions that show interest beyond a view or click. */
const engagementTypes = new Set(['like', 'share', 'comment', 'purchase', 'dwell'])

/**
 * Folds the batch's interactions that carry a `recommendationId` into per (recommendation, item,
 * user) counts, so click-through and engagement per recommendation (and so per scenario) can be
 * reported. A rating counts as engagement when above 2, as negative feedback otherwise.
 */
export function feedbackIncrements(batch: InteractionRecordedData[]): FeedbackIncrement[] {
  const byKey = new Map<string, FeedbackIncrement>()
  for (const data of batch) {
    const i = data.interaction
    const userId = actorOf(i)
    if (!userId || !isItemInteraction(i) || !('recommendationId' in i) || !i.recommendationId) continue
    const at = occurredAt(data)
    const key = `${i.recommendationId}\u0000${i.itemId}\u0000${userId}`
    let inc = byKey.get(key)
    if (!inc) {
      inc = { recommendationId: i.recommendationId, itemId: i.itemId, userId, views: 0, clicks: 0, engagements: 0, negatives: 0, firstAt: at, lastAt: at }
      byKey.set(key, inc)
    }
    const negative = isNegativeFeedback(i)
    if (i.type === 'view') inc.views++
    else if (i.type === 'click') inc.clicks++
    else if (negative) inc.negatives++
    else if (engagementTypes.has(i.type) || i.type === 'rating') inc.engagements++
    if (at < inc.firstAt) inc.firstAt = at
    if (at > inc.lastAt) inc.lastAt = at
  }
  return [...byKey.values()]
}
