import { loadAls } from './als-recommender.ts'
import { type BlendComponent, blend } from './blend-recommender.ts'
import { loadContent } from './content-recommender.ts'
import { loadEase } from './ease-recommender.ts'
import { loadPopularity } from './popularity-recommender.ts'
import { loadSar } from './sar-recommender.ts'
import type { ModelJson, Recommender } from './types.ts'

function isModelJson(v: unknown): v is ModelJson {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { version?: unknown }).version === 'number'
}

/** Reads back any `Recommender.toJSON()` snapshot (parsed JSON). */
export function loadRecommender(json: unknown): Recommender {
  if (!isModelJson(json)) throw new TypeError('not a recommender snapshot')
  switch (json.kind) {
    case 'popularity':
      return loadPopularity(json)
    case 'sar':
      return loadSar(json)
    case 'content':
      return loadContent(json)
    case 'als':
      return loadAls(json)
    case 'ease':
      return loadEase(json)
    case 'blend': {
      const raw = Array.isArray(json.components) ? (json.components as { weight?: unknown; model?: unknown }[]) : []
      const components: BlendComponent[] = raw.map((c) => ({ weight: typeof c.weight === 'number' ? c.weight : 0, model: loadRecommender(c.model) }))
      return blend(components, typeof json.candidatesPerSlot === 'number' ? { candidatesPerSlot: json.candidatesPerSlot } : {})
    }
    default:
      throw new RangeError(`unknown recommender kind ${json.kind}`)
  }
}
