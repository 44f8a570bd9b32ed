import type { Interaction } from '@attune/contracts'

/** How much each interaction says about an item's appeal; negative feedback pushes it down. */
export const defaultWeights = {
  view: 1,
  click: 2,
  like: 3,
  share: 4,
  comment: 3,
  purchase: 5,
  hide: -2,
  not_interested: -3,
} as const

/** Dwell counts up to a click's worth, reached at 60 s; ratings are centred on 3 (1 → -2, 5 → +2). */
export function interactionWeight(i: Interaction): number | undefined {
  switch (i.type) {
    case 'dwell':
      return Math.min(i.seconds / 60, 1) * defaultWeights.click
    case 'rating':
      return i.value - 3
    case 'view':
    case 'click':
    case 'like':
    case 'share':
    case 'comment':
    case 'purchase':
    case 'hide':
    case 'not_interested':
      return defaultWeights[i.type]
    default:
      return undefined
  }
}
