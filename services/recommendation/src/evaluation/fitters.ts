import { fitAls } from '../recommenders/als-recommender.ts'
import { blend } from '../recommenders/blend-recommender.ts'
import { fitContent } from '../recommenders/content-recommender.ts'
import { fitDefault } from '../recommenders/default-recommender.ts'
import { fitEase } from '../recommenders/ease-recommender.ts'
import { fitPopularity } from '../recommenders/popularity-recommender.ts'
import { fitSar } from '../recommenders/sar-recommender.ts'
import type { TrainingData } from '../recommenders/training-data.ts'
import type { Recommender } from '../recommenders/types.ts'

/** The recommenders the CLI can evaluate, by name, each with its defaults and the given seed. */
export const fitters: Record<string, (data: TrainingData, seed: number) => Recommender> = {
  popularity: (data) => fitPopularity(data),
  sar: (data) => fitSar(data),
  content: (data) => fitContent(data),
  als: (data, seed) => fitAls(data, { seed }),
  ease: (data) => fitEase(data),
  blend: (data, seed) => fitDefault(data, { seed }),
  'sar+als': (data, seed) =>
    blend([
      { model: fitSar(data), weight: 1 },
      { model: fitAls(data, { seed }), weight: 1 },
    ]),
}

export const fitterNames = Object.keys(fitters)
