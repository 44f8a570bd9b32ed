import { type Emotion, EmotionLabels, Polarities, type Polarity } from '../analyzer/labels.ts'

/** The 28 GoEmotions labels, in the order of `labels.txt`. */
export const GoEmotionsLabels = [
  'admiration',
  'amusement',
  'anger',
  'annoyance',
  'approval',
  'caring',
  'confusion',
  'curiosity',
  'desire',
  'disappointment',
  'disapproval',
  'disgust',
  'embarrassment',
  'excitement',
  'fear',
  'gratitude',
  'grief',
  'joy',
  'love',
  'nervousness',
  'optimism',
  'pride',
  'realization',
  'relief',
  'remorse',
  'sadness',
  'surprise',
  'neutral',
] as const

// Ekman mapping published with GoEmotions (ekman_mapping.json).
const ekman: Record<string, Emotion> = {
  anger: 'anger',
  annoyance: 'anger',
  disapproval: 'anger',
  disgust: 'disgust',
  fear: 'fear',
  nervousness: 'fear',
  sadness: 'sadness',
  disappointment: 'sadness',
  embarrassment: 'sadness',
  grief: 'sadness',
  remorse: 'sadness',
  surprise: 'surprise',
  realization: 'surprise',
  confusion: 'surprise',
  curiosity: 'surprise',
  neutral: 'neutral',
}
// Sentiment grouping of the paper (sentiment_mapping.json); ambiguous and neutral count as neutral here.
const negative = new Set([
  'anger',
  'annoyance',
  'disappointment',
  'disapproval',
  'disgust',
  'embarrassment',
  'fear',
  'grief',
  'nervousness',
  'remorse',
  'sadness',
])
const ambiguous = new Set(['confusion', 'curiosity', 'realization', 'surprise', 'neutral'])

export interface Example {
  text: string
  /** Ekman emotions of the comment (one or more). */
  emotions: Emotion[]
  /** Undefined when the comment has both positive and negative labels. */
  polarity: Polarity | undefined
}

function toExample(text: string, ids: number[]): Example {
  const names = ids.map((i) => GoEmotionsLabels[i] ?? 'neutral')
  const emotions = [...new Set(names.map((n) => ekman[n] ?? 'joy'))]
  const pos = names.some((n) => !negative.has(n) && !ambiguous.has(n))
  const neg = names.some((n) => negative.has(n))
  const polarity: Polarity | undefined = pos && neg ? undefined : pos ? 'positive' : neg ? 'negative' : 'neutral'
  return { text, emotions, polarity }
}

/** Parses a GoEmotions TSV (`text \t ids \t comment id`). */
export function parseGoEmotions(tsv: string): Example[] {
  const out: Example[] = []
  for (const line of tsv.split('\n')) {
    if (!line) continue
    const [text, ids] = line.split('\t')
    if (text === undefined || ids === undefined) continue
    out.push(toExample(text, ids.split(',').map(Number)))
  }
  return out
}

/** Soft target over `labels`: the example's mass spread evenly over the labels it carries. */
export function softTarget<L extends string>(labels: readonly L[], carried: readonly L[]): Float64Array {
  const y = new Float64Array(labels.length)
  for (const l of carried) y[labels.indexOf(l)] = 1 / carried.length
  return y
}

export const emotionTarget = (e: Example) => softTarget(EmotionLabels, e.emotions)
export const polarityTarget = (e: Example) => (e.polarity ? softTarget(Polarities, [e.polarity]) : undefined)
