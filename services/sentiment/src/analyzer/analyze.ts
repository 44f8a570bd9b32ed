import { extractFeatures } from './features.ts'
import { type Emotion, EmotionLabels, Polarities, type Polarity } from './labels.ts'
import { detectLanguage } from './language.ts'
import { argmax, scoresOf, softmax } from './linear.ts'
import type { SentimentModel } from './model.ts'
import { EMOJI_EMOTION_OFFSET } from './rules.ts'
import { tokenize } from './tokenize.ts'

export interface PolarityResult {
  label: Polarity
  /** P(positive) − P(negative), in [-1, 1]. */
  compound: number
  probabilities: Record<Polarity, number>
}

export interface EmotionResult {
  label: Emotion
  probabilities: Record<Emotion, number>
}

/** Social-text cues the analyzer found (for explanations and reply tone). */
export interface Cues {
  negation: boolean
  sarcasm: boolean
  emoji: number
  shouting: boolean
  elongation: boolean
  /** The text carries clearly positive and clearly negative words at once. */
  mixed: boolean
  /** The rule-based (VADER-style) compound alone, in (-1, 1). */
  lexiconCompound: number
}

export interface Analysis {
  language: string
  english: boolean
  /** Null for texts not in English: they are flagged, not scored. */
  polarity: PolarityResult | null
  emotion: EmotionResult | null
  cues: Cues
}

const round = (x: number) => Math.round(x * 10000) / 10000

function record<L extends string>(labels: readonly L[], p: ArrayLike<number>): Record<L, number> {
  const out = {} as Record<L, number>
  labels.forEach((l, i) => {
    out[l] = round(p[i] as number)
  })
  return out
}

/**
 * A sarcasm marker ("/s", "yeah right", 🙄) over positive words reads as negative: most of the
 * positive mass moves to negative, and joy to anger. A rule, not learned: GoEmotions has too few
 * marked examples to learn it.
 */
function applySarcasm(polarity: Float64Array, emotion: Float64Array): void {
  const [neg, , pos] = [polarity[0] as number, polarity[1] as number, polarity[2] as number]
  polarity[0] = neg + pos * 0.8
  polarity[2] = pos * 0.2
  const joy = EmotionLabels.indexOf('joy')
  const anger = EmotionLabels.indexOf('anger')
  emotion[anger] = (emotion[anger] as number) + (emotion[joy] as number) * 0.8
  emotion[joy] = (emotion[joy] as number) * 0.2
}

/** Adds β·[−c, 0, +c] to the polarity logits (negative, neutral, positive). */
export function addPolarityPrior(logits: Float64Array, compound: number, beta: number): Float64Array {
  logits[0] = (logits[0] as number) - beta * compound
  logits[2] = (logits[2] as number) + beta * compound
  return logits
}

/** Adds β_e × (capped emoji count of each emotion) to the emotion logits. */
export function addEmotionPrior(logits: Float64Array, ruleFeatures: Float32Array, beta: number): Float64Array {
  for (let k = 0; k < EmotionLabels.length; k++) logits[k] = (logits[k] as number) + beta * (ruleFeatures[EMOJI_EMOTION_OFFSET + k] as number)
  return logits
}

/** Polarity and Ekman emotion of one text, in process. */
export function analyze(model: SentimentModel, text: string): Analysis {
  const tokens = tokenize(text)
  const { vector, rules } = extractFeatures(text, tokens, model.lexicon, model.features)
  const cues: Cues = {
    negation: rules.negated.some((n) => n === 1),
    sarcasm: rules.sarcasm,
    emoji: tokens.filter((t) => t.kind === 'emoji' || t.kind === 'emoticon').length,
    shouting: tokens.some((t) => t.caps),
    elongation: tokens.some((t) => t.elongated && t.kind === 'word'),
    mixed: rules.positive >= 1.5 && rules.negative >= 1.5,
    lexiconCompound: round(rules.compound),
  }
  const language = detectLanguage(text, tokens, model.englishWords)
  if (!language.english) return { ...language, polarity: null, emotion: null, cues }
  const scores = scoresOf(model.fused, vector)
  const pp = softmax(addPolarityPrior(scores.slice(0, Polarities.length), rules.compound, model.blend.polarity))
  const pe = softmax(addEmotionPrior(scores.slice(Polarities.length), rules.features, model.blend.emotion))
  if (rules.sarcasm && (pp[2] as number) > (pp[0] as number)) applySarcasm(pp, pe)
  const compound = Math.max(-1, Math.min(1, (pp[2] as number) - (pp[0] as number)))
  return {
    ...language,
    polarity: { label: Polarities[argmax(pp)] as Polarity, compound: round(compound), probabilities: record(Polarities, pp) },
    emotion: { label: EmotionLabels[argmax(pe)] as Emotion, probabilities: record(EmotionLabels, pe) },
    cues,
  }
}
