import { type FeatureOptions, featureDimension } from './features.ts'
import { EmotionLabels, Polarities } from './labels.ts'
import { type LinearHead, type QuantizedHead, quantizeHeads } from './linear.ts'
import type { Lexicon } from './rules.ts'

/** Everything the analyzer needs: feature options, the two heads, the lexicon and the English word list. */
export interface SentimentModel {
  features: FeatureOptions
  polarity: LinearHead
  emotion: LinearHead
  /** Both heads fused (polarity columns first) as int8, what the analyzer scores with. */
  fused: QuantizedHead
  lexicon: Lexicon
  englishWords: ReadonlySet<string>
  blend: RuleBlend
  meta: ModelMeta
}

/**
 * How much the rule reading adds to the learned logits: polarity logits get β·[−c, 0, +c] (c the
 * VADER-style compound), emotion logits β_e per emoji of that emotion. GoEmotions (Reddit) has few
 * emoji and little of the lexicon's range; the blend keeps the rules' reach on other social text.
 */
export interface RuleBlend {
  polarity: number
  emotion: number
}

export interface ModelMeta {
  trainedOn: string
  seed: number
  /** The command that rebuilds these weights (bit for bit: training is seeded and single-threaded). */
  command: string
  /** Dev figures measured when the weights were written (macro-F1). */
  dev: { polarityMacroF1: number; emotionMacroF1: number }
}

/** The JSON form of the weights file (`model/weights.json`). */
export interface WeightsFile {
  format: 'attune-sentiment-weights'
  version: 1
  features: FeatureOptions
  blend: RuleBlend
  meta: ModelMeta
  heads: Record<'polarity' | 'emotion', EncodedHead>
}

/** The JSON form of the lexicon file (`model/lexicon.json`). */
export interface LexiconFile {
  format: 'attune-sentiment-lexicon'
  version: 1
  sources: string[]
  valence: Record<string, number>
  englishWords: string[]
}

interface EncodedHead {
  labels: string[]
  bias: number[]
  /** Weights are int8: w = q · scale. */
  scale: number
  /** Base64 of the int8 weights, feature-major, `dim × labels.length`. */
  weights: string
}

function encodeHead(head: LinearHead, labels: readonly string[]): EncodedHead {
  let max = 0
  for (const w of head.weights) max = Math.max(max, Math.abs(w))
  const scale = max > 0 ? max / 127 : 1
  const q = new Int8Array(head.weights.length)
  for (let i = 0; i < q.length; i++) q[i] = Math.round((head.weights[i] as number) / scale)
  return { labels: [...labels], bias: Array.from(head.bias, (b) => Number(b.toFixed(6))), scale, weights: Buffer.from(q.buffer).toString('base64') }
}

function decodeHead(e: EncodedHead, labels: readonly string[], dim: number): LinearHead {
  if (e.labels.join() !== labels.join()) throw new Error(`model labels ${e.labels.join()} do not match ${labels.join()}`)
  const bytes = Buffer.from(e.weights, 'base64')
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (q.length !== dim * labels.length) throw new Error(`model has ${q.length} weights, expected ${dim * labels.length}`)
  const weights = new Float32Array(q.length)
  for (let i = 0; i < q.length; i++) weights[i] = (q[i] as number) * e.scale
  return { classes: labels.length, dim, weights, bias: Float32Array.from(e.bias) }
}

export function encodeWeights(m: Pick<SentimentModel, 'features' | 'polarity' | 'emotion' | 'meta' | 'blend'>): WeightsFile {
  return {
    format: 'attune-sentiment-weights',
    version: 1,
    features: m.features,
    blend: m.blend,
    meta: m.meta,
    heads: { polarity: encodeHead(m.polarity, Polarities), emotion: encodeHead(m.emotion, EmotionLabels) },
  }
}

/** Rebuilds the model from its two files; throws on a file of another format or shape. */
export function decodeModel(weights: WeightsFile, lexicon: LexiconFile): SentimentModel {
  if (weights.format !== 'attune-sentiment-weights' || weights.version !== 1) throw new Error('not an attune-sentiment weights file (version 1)')
  if (lexicon.format !== 'attune-sentiment-lexicon' || lexicon.version !== 1) throw new Error('not an attune-sentiment lexicon file (version 1)')
  const dim = featureDimension(weights.features)
  const polarity = decodeHead(weights.heads.polarity, Polarities, dim)
  const emotion = decodeHead(weights.heads.emotion, EmotionLabels, dim)
  return {
    features: weights.features,
    blend: weights.blend,
    meta: weights.meta,
    polarity,
    emotion,
    fused: quantizeHeads([polarity, emotion]),
    lexicon: new Map(Object.entries(lexicon.valence)),
    englishWords: new Set(lexicon.englishWords),
  }
}
