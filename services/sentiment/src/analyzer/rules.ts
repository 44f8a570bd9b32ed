import { BOOSTERS, CONTRASTS, HEDGES, NEGATORS, NEVER_EMPHASIS, SARCASM_PHRASES, SARCASM_TOKENS } from './cues.ts'
import { EMOJI_TABLE } from './emoji-table.ts'
import { EmotionLabels } from './labels.ts'
import type { Token } from './tokenize.ts'

/** Word → valence on VADER's -4 … 4 scale (words, emoticons; emoji come from EMOJI_TABLE). */
export type Lexicon = ReadonlyMap<string, number>

/** The rule-based reading of a text: a VADER-style score plus the cues the learned model also sees. */
export interface RuleReading {
  /** VADER-style normalized sum of valences, in (-1, 1). */
  compound: number
  /** Sums of positive and negative valences (after negation, before contrast weighting). */
  positive: number
  negative: number
  /** Per token: 1 when it lies in a negation's scope. */
  negated: Uint8Array
  sarcasm: boolean
  /** The dense features of the learned model, in `ruleFeatureNames` order. */
  features: Float32Array
}

export const ruleFeatureNames = [
  'compound',
  'positive',
  'negative',
  'negated_positive',
  'negated_negative',
  'emoji_positive',
  'emoji_negative',
  'exclamations',
  'questions',
  'caps',
  'elongated',
  'sarcasm',
  'contrast',
  ...EmotionLabels.map((e) => `emoji_${e}`),
] as const

/** Index of the first per-emotion emoji count in the rule features. */
export const EMOJI_EMOTION_OFFSET = ruleFeatureNames.indexOf('emoji_anger')

const N_SCALAR = -0.74 // VADER: a negated word keeps about three quarters of its strength, flipped
const CAPS_INCR = 0.733
const SCOPE = 3
const ALPHA = 15 // VADER's normalization constant
const emotionIndex = new Map<string, number>(EmotionLabels.map((e, i) => [e, i]))

function valenceOf(t: Token, lexicon: Lexicon): number {
  if (t.kind === 'emoji') return EMOJI_TABLE.get(t.norm)?.valence ?? lexicon.get(t.norm) ?? 0
  if (t.kind === 'emoticon') return lexicon.get(t.norm) ?? lexicon.get(t.norm.toLowerCase()) ?? 0
  if (t.kind !== 'word' && t.kind !== 'hashtag') return 0
  if (BOOSTERS.has(t.norm) || HEDGES.has(t.norm)) return 0
  const v = lexicon.get(t.norm)
  if (v !== undefined) return v
  // Elongations squeezed to two letters may hide the dictionary form ("goood" → "good", "sooo" → "so").
  if (t.elongated) return lexicon.get(t.norm.replace(/(\p{L})\1/gu, '$1')) ?? 0
  return 0
}

function isClauseBreak(t: Token): boolean {
  return t.kind === 'punct' && t.norm !== '"' && t.norm !== '*' && t.norm !== '-'
}

/** "never so disappointed", "never been this happy": emphasis, not negation. */
function neverEmphasis(tokens: readonly Token[], at: number): boolean {
  for (let k = at + 1; k <= at + 2 && k < tokens.length; k++) if (NEVER_EMPHASIS.has((tokens[k] as Token).norm)) return true
  return false
}

/** Marks the words within SCOPE words after a negator, stopping at punctuation or a contrast. */
export function negationScope(tokens: readonly Token[]): Uint8Array {
  const out = new Uint8Array(tokens.length)
  let left = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (isClauseBreak(t) || CONTRASTS.has(t.norm)) {
      left = 0
      continue
    }
    if (t.kind === 'word' && NEGATORS.has(t.norm)) {
      if (t.norm === 'never' && neverEmphasis(tokens, i)) continue
      left = SCOPE
      continue
    }
    // Emoji and emoticons say how the writer feels about the whole: never negated ("can't believe this 😡").
    if (t.kind === 'emoji' || t.kind === 'emoticon') continue
    if (left > 0) {
      out[i] = 1
      // Boosters and hedges do not use up the scope ("not very good" negates "good").
      if (!BOOSTERS.has(t.norm) && !HEDGES.has(t.norm)) left--
    }
  }
  return out
}

function hasSarcasmMarker(text: string, tokens: readonly Token[]): boolean {
  if (tokens.some((t) => SARCASM_TOKENS.has(t.norm))) return true
  return SARCASM_PHRASES.some((re) => re.test(text))
}

/** Scores a tokenized text with VADER's rules (negation, boosters, hedges, caps, contrast, "!"). */
export function readRules(text: string, tokens: readonly Token[], lexicon: Lexicon): RuleReading {
  const negated = negationScope(tokens)
  const contrastAt = tokens.findLastIndex((t) => t.kind === 'word' && CONTRASTS.has(t.norm))
  const f = new Float32Array(ruleFeatureNames.length)
  let sum = 0
  let positive = 0
  let negative = 0
  let exclamations = 0
  let questions = 0
  let caps = 0
  let elongated = 0
  let negatedPositive = 0
  let rawPositive = 0
  let rawNegative = 0
  let negatedNegative = 0
  let emojiPositive = 0
  let emojiNegative = 0
  const emojiEmotions = new Array<number>(EmotionLabels.length).fill(0)
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (t.kind === 'punct') {
      if (t.norm === '!') exclamations += t.elongated ? 2 : 1
      if (t.norm === '?') questions += t.elongated ? 2 : 1
      continue
    }
    if (t.caps) caps++
    if (t.elongated) elongated++
    let v = valenceOf(t, lexicon)
    if (t.kind === 'emoji') {
      const e = EMOJI_TABLE.get(t.norm)
      if (e) {
        const k = emotionIndex.get(e.emotion) ?? 6
        emojiEmotions[k] = (emojiEmotions[k] ?? 0) + 1
      }
      if (v > 0) emojiPositive++
      if (v < 0) emojiNegative++
    }
    if (v === 0) continue
    if (t.caps) v += Math.sign(v) * CAPS_INCR
    if (t.elongated) v += Math.sign(v) * 0.3
    for (let k = 1; k <= 3 && i - k >= 0; k++) {
      const prev = tokens[i - k] as Token
      const scale = BOOSTERS.get(prev.norm) ?? HEDGES.get(prev.norm)
      if (scale !== undefined) v += Math.sign(v) * scale * (1 - 0.05 * (k - 1)) * (prev.caps ? 2 : 1)
    }
    if (negated[i]) {
      if (v > 0) negatedPositive++
      else negatedNegative++
      v *= N_SCALAR
    }
    if (v > 0) rawPositive += v
    else rawNegative -= v
    if (contrastAt >= 0) v *= i < contrastAt ? 0.5 : 1.5
    sum += v
    if (v > 0) positive += v
    else negative -= v
  }
  // Exclamation marks amplify whatever direction the text already has (VADER caps it at 4).
  if (sum !== 0) sum += Math.sign(sum) * Math.min(exclamations, 4) * 0.292
  const compound = sum / Math.sqrt(sum * sum + ALPHA)
  const sarcasm = hasSarcasmMarker(text, tokens)
  const words = Math.max(1, tokens.length)
  f[0] = compound
  f[1] = Math.min(positive / 4, 3)
  f[2] = Math.min(negative / 4, 3)
  f[7] = Math.min(exclamations, 4) / 2
  f[8] = Math.min(questions, 4) / 2
  f[9] = caps / words
  f[10] = Math.min(elongated, 3) / 2
  f[11] = sarcasm ? 1 : 0
  f[12] = contrastAt >= 0 ? 1 : 0
  const capped = (n: number) => Math.min(n, 3) / 2
  f[3] = capped(negatedPositive)
  f[4] = capped(negatedNegative)
  f[5] = capped(emojiPositive)
  f[6] = capped(emojiNegative)
  emojiEmotions.forEach((n, k) => {
    f[EMOJI_EMOTION_OFFSET + k] = capped(n)
  })
  return { compound, positive: rawPositive, negative: rawNegative, negated, sarcasm, features: f }
}
