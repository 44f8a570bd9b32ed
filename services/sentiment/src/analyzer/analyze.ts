import { extractFeatures } from './features.ts'
import { type Emotion, EmotionLabels, Polarities, type Polarity } from './labels.ts'
import { detectLanguage } from './language.ts'
import { argmax, quantizedScores, softmax } from './linear.ts'
import type { SentimentModel } from './model.ts'
import { EMOJI_EMOTION_OFFSET, type RuleReading, ruleFeatureNames } from './rules.ts'

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

const NEGATED_NEGATIVE = ruleFeatureNames.indexOf('negated_negative')
const EMOJI_NEGATIVE = ruleFeatureNames.indexOf('emoji_negative')
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

const NEGATIVE_EMOTIONS = (['anger', 'disgust', 'fear', 'sadness'] as const).map((e) => EmotionLabels.indexOf(e))
const NEUTRAL_EMOTION = EmotionLabels.indexOf('neutral')

/**
 * A negated negative with nothing negative left in the text ("I don't hate it", "not bad", "can't
 * complain") is litotes: neutral or mildly positive. GoEmotions ties negators to complaints, so the
 * learned heads read these as negative; most of the negative mass moves to neutral and positive,
 * and of the negative emotions to neutral. A rule, like sarcasm, for the same reason.
 */
function applyLitotes(polarity: Float64Array, emotion: Float64Array): void {
  const neg = polarity[0] as number
  polarity[0] = neg * 0.2
  polarity[1] = (polarity[1] as number) + neg * 0.4
  polarity[2] = (polarity[2] as number) + neg * 0.4
  for (const k of NEGATIVE_EMOTIONS) {
    emotion[NEUTRAL_EMOTION] = (emotion[NEUTRAL_EMOTION] as number) + (emotion[k] as number) * 0.8
    emotion[k] = (emotion[k] as number) * 0.2
  }
}

/** Whether the rule reading is litotes: negated negative words, and no negative word or emoji left. */
function isLitotes(rules: RuleReading): boolean {
  return rules.features[NEGATED_NEGATIVE] !== 0 && rules.negative === 0 && rules.features[EMOJI_NEGATIVE] === 0 && !rules.sarcasm
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
  let emoji = 0
  let shouting = false
  let elongation = false
  for (const t of tokens) {
    if (t.kind === 'emoji' || t.kind === 'emoticon') emoji++
    if (t.caps) shouting = true
    if (t.elongated && t.kind === 'word') elongation = true
  }
  const cues: Cues = {
    negation: rules.negated.includes(1),
    sarcasm: rules.sarcasm,
    emoji,
    shouting,
    elongation,
    mixed: rules.positive >= 1.5 && rules.negative >= 1.5,
    lexiconCompound: round(rules.compound),
  }
  const language = detectLanguage(text, tokens, model.englishWords)
  if (!language.english) return { ...language, polarity: null, emotion: null, cues }
  const scores = quantizedScores(model.fused, vector)
  const pp = softmax(addPolarityPrior(scores.slice(0, Polarities.length), rules.compound, model.blend.polarity))
  const pe = softmax(addEmotionPrior(scores.slice(Polarities.length), rules.features, model.blend.emotion))
  if (rules.sarcasm && (pp[2] as number) > (pp[0] as number)) applySarcasm(pp, pe)
  else if (isLitotes(rules)) applyLitotes(pp, pe)
  const compound = Math.max(-1, Math.min(1, (pp[2] as number) - (pp[0] as number)))
  return {
    ...language,
    polarity: { label: Polarities[argmax(pp)] as Polarity, compound: round(compound), probabilities: record(Polarities, pp) },
    emotion: { label: EmotionLabels[argmax(pe)] as Emotion, probabilities: record(EmotionLabels, pe) },
    cues,
  }
}
