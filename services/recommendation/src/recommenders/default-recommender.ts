import { type AlsOptions, fitAls } from './als-recommender.ts'
import { type BlendComponent, type BlendModel, blend } from './blend-recommender.ts'
import { fitContent } from './content-recommender.ts'
import { type EaseOptions, fitEase } from './ease-recommender.ts'
import { fitPopularity } from './popularity-recommender.ts'
import { fitSar, type SarOptions } from './sar-recommender.ts'
import type { TrainingData } from './training-data.ts'

export interface DefaultWeights {
  ease: number
  als: number
  sar: number
  content: number
  popularity: number
}

/**
 * Chosen on the synthetic MovieLens-like set (943 × 1682, 100k; `eval --synthetic 943,1682,100000`):
 * iALS leads, EASE and SAR add robustness and explanations, content a little reach into new items.
 */
export const defaultBlendWeights: DefaultWeights = { ease: 0.5, als: 1, sar: 0.1, content: 0.02, popularity: 0 }

export interface DefaultOptions {
  seed: number
  weights: DefaultWeights
  ease: Partial<EaseOptions>
  als: Partial<AlsOptions>
  sar: Partial<SarOptions>
}

/**
 * iALS regularization for this data: 40 was tuned on ~106 interactions per user (MovieLens-100k
 * size); the L2 penalty must shrink with the evidence per user, or sparse data (a new site, the
 * embedded demo) collapses every user onto the same factors and recommends across tastes.
 */
export function scaledAlsRegularization(data: TrainingData): number {
  const perUser = data.byUser.values.length / Math.max(1, data.userIds.length)
  return Math.min(40, Math.max(1, (40 * perUser) / 106))
}

/**
 * The default recommender: iALS, EASE over the most popular items, SAR, content and popularity,
 * blended. Components with weight 0 (or content when no item has content) are not fitted.
 */
export function fitDefault(data: TrainingData, options: Partial<DefaultOptions> = {}): BlendModel {
  const w = options.weights ?? defaultBlendWeights
  const components: BlendComponent[] = []
  if (w.ease > 0) components.push({ model: fitEase(data, options.ease), weight: w.ease })
  if (w.als > 0)
    components.push({ model: fitAls(data, { seed: options.seed ?? 42, regularization: scaledAlsRegularization(data), ...options.als }), weight: w.als })
  if (w.sar > 0) components.push({ model: fitSar(data, options.sar), weight: w.sar })
  if (w.content > 0 && data.content.some((c) => c !== undefined)) components.push({ model: fitContent(data), weight: w.content })
  if (w.popularity > 0) components.push({ model: fitPopularity(data), weight: w.popularity })
  return blend(components)
}
