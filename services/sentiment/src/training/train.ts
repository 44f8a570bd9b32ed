import { extractFeatures, type FeatureOptions, featureDimension, type SparseVector } from '../analyzer/features.ts'
import { EmotionLabels, Polarities } from '../analyzer/labels.ts'
import type { LinearHead } from '../analyzer/linear.ts'
import type { Lexicon } from '../analyzer/rules.ts'
import { tokenize } from '../analyzer/tokenize.ts'
import { type Example, emotionTarget, polarityTarget } from './goemotions.ts'
import { type SgdOptions, trainSoftmax } from './sgd.ts'

export interface TrainOptions {
  features: FeatureOptions
  sgd: SgdOptions
  /** Loss weight of class c ∝ (1 / frequency_c)^power, normalized to mean 1: 0 = none, 1 = fully balanced. */
  classWeightPower: number
}

/** Chosen on GoEmotions dev (macro-F1 of both heads); 2^17 buckets scored as 2^18 did, at half the file size. */
export const defaultTrainOptions: TrainOptions = {
  features: { hashBits: 17, charNgrams: [3, 4, 5], bigrams: true, charWeight: 0.35 },
  sgd: { epochs: 10, learningRate: 0.05, l2: 1e-6, seed: 42 },
  classWeightPower: 0.5,
}

export function vectorize(examples: readonly Example[], lexicon: Lexicon, o: FeatureOptions): SparseVector[] {
  return examples.map((e) => extractFeatures(e.text, tokenize(e.text), lexicon, o).vector)
}

function classWeights(targets: readonly Float64Array[], classes: number, power: number): Float64Array {
  const freq = new Float64Array(classes)
  for (const y of targets) for (let c = 0; c < classes; c++) freq[c] = (freq[c] as number) + (y[c] as number)
  const w = freq.map((f) => (f > 0 ? (targets.length / f) ** power : 0))
  const mean = w.reduce((a, b) => a + b, 0) / classes
  return w.map((x) => x / mean)
}

/** Trains the polarity and emotion heads on the same features (comments with mixed polarity train emotion only). */
export function trainHeads(examples: readonly Example[], xs: readonly SparseVector[], o: TrainOptions): { polarity: LinearHead; emotion: LinearHead } {
  const dim = featureDimension(o.features)
  const emotionTargets = examples.map(emotionTarget)
  const emotion = trainSoftmax(xs, emotionTargets, EmotionLabels.length, dim, {
    ...o.sgd,
    classWeights: classWeights(emotionTargets, EmotionLabels.length, o.classWeightPower),
  })
  const px: SparseVector[] = []
  const py: Float64Array[] = []
  examples.forEach((e, i) => {
    const y = polarityTarget(e)
    if (y) {
      px.push(xs[i] as SparseVector)
      py.push(y)
    }
  })
  const polarity = trainSoftmax(px, py, Polarities.length, dim, { ...o.sgd, classWeights: classWeights(py, Polarities.length, o.classWeightPower) })
  return { polarity, emotion }
}

/** Common English words: the `size` most frequent alphabetic tokens of the training texts, plus the lexicon's words. */
export function englishWordList(examples: readonly Example[], lexicon: Lexicon, size: number): string[] {
  const counts = new Map<string, number>()
  for (const e of examples)
    for (const t of tokenize(e.text)) if (t.kind === 'word' && /^[a-z']+$/.test(t.norm)) counts.set(t.norm, (counts.get(t.norm) ?? 0) + 1)
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size)
  const words = new Set(top.map(([w]) => w))
  for (const w of lexicon.keys()) if (/^[a-z']+$/.test(w)) words.add(w)
  return [...words].sort()
}
