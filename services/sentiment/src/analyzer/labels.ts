import { Emotions } from '@attune/contracts'

/** Polarity classes, in the order of the model's outputs. */
export const Polarities = ['negative', 'neutral', 'positive'] as const
export type Polarity = (typeof Polarities)[number]

/** Ekman's six emotions plus neutral, in the order of the model's outputs (as in `@attune/contracts`). */
export const EmotionLabels = Emotions
export type Emotion = (typeof Emotions)[number]
