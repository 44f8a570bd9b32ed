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

export type WeightedType = keyof typeof defaultWeights
export type InteractionWeights = Record<WeightedType, number>

const weightedTypes = Object.keys(defaultWeights) as WeightedType[]

/** Dwell reaches a click's worth at this many seconds and stops growing there. */
export const DWELL_FULL_SECONDS = 60

/**
 * The weight of one interaction, undefined for interactions about no item. Dwell grows linearly to a
 * click's worth at 60 s, then is capped; ratings are centred on 3 (1 → -2, 5 → +2).
 */
export function interactionWeight(i: Interaction, weights: InteractionWeights = defaultWeights): number | undefined {
  switch (i.type) {
    case 'dwell':
      return Math.min(i.seconds / DWELL_FULL_SECONDS, 1) * weights.click
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
      return weights[i.type]
    default:
      return undefined
  }
}

/** Explicit negative feedback: a hide, "not interested", or a rating of 2 or less. */
export function isNegativeFeedback(i: Interaction): boolean {
  return i.type === 'hide' || i.type === 'not_interested' || (i.type === 'rating' && i.value <= 2)
}

/** The syntax of `INTERACTION_WEIGHTS`: `type=number` pairs separated by commas, e.g. `like=4,hide=-5`. */
export const interactionWeightsPattern = `^((${weightedTypes.join('|')})=-?\\d{1,4}(\\.\\d{1,4})?)(,(${weightedTypes.join('|')})=-?\\d{1,4}(\\.\\d{1,4})?)*$`

/**
 * The defaults with the overrides of a `type=number,…` spec (already checked against
 * `interactionWeightsPattern`, so every pair is well-formed); empty or undefined keeps the defaults.
 */
export function parseInteractionWeights(spec: string | undefined): InteractionWeights {
  const weights: InteractionWeights = { ...defaultWeights }
  if (!spec) return weights
  for (const pair of spec.split(',')) {
    const [type, value] = pair.split('=')
    if (type && value !== undefined && (weightedTypes as string[]).includes(type)) weights[type as WeightedType] = Number(value)
  }
  return weights
}
