import { fnv1a, fnvStep } from './hash.ts'
import { type Lexicon, type RuleReading, readRules, ruleFeatureNames } from './rules.ts'
import type { Token } from './tokenize.ts'

/** How texts become feature vectors; stored with the weights, so training and serving agree. */
export interface FeatureOptions {
  /** log2 of the number of hashed buckets. */
  hashBits: number
  /** Character n-gram lengths inside words (padded with < and >); empty for none. */
  charNgrams: readonly number[]
  bigrams: boolean
  /** Weight of a character n-gram relative to a word. */
  charWeight: number
}

/** A sparse vector: hashed buckets first, then the rule features at `2^hashBits + k`. */
export interface SparseVector {
  index: Int32Array
  value: Float32Array
}

export function featureDimension(o: FeatureOptions): number {
  return (1 << o.hashBits) + ruleFeatureNames.length
}

const SEED_WORD = fnv1a('w:')
const SEED_NEG = fnv1a('n:')
const SEED_BIGRAM = fnv1a('b:')
const SEED_CHAR = fnv1a('c:')
const SEED_NEG_CHAR = fnv1a('nc:')
const SEED_CAPS = fnv1a('C:')

// Character n-grams of a negated word live in their own namespace too, so "hat", "ate>" of a
// negated "hate" do not carry the weight learned for "hate".
function charGrams(word: string, sizes: readonly number[], negated: boolean, push: (h: number) => void): void {
  const padded = `<${word}>`
  const seed = negated ? SEED_NEG_CHAR : SEED_CHAR
  for (const n of sizes) {
    if (padded.length < n) continue
    for (let s = 0; s + n <= padded.length; s++) push(fnv1a(padded, s, s + n, fnvStep(seed, n)))
  }
}

function isTextual(t: Token): boolean {
  return t.kind === 'word' || t.kind === 'hashtag'
}

/** The features of one tokenized text, with the rule reading they include. */
export function extractFeatures(text: string, tokens: readonly Token[], lexicon: Lexicon, o: FeatureOptions): { vector: SparseVector; rules: RuleReading } {
  const rules = readRules(text, tokens, lexicon)
  const mask = (1 << o.hashBits) - 1
  const idx: number[] = []
  const val: number[] = []
  let norm2 = 0
  const push = (h: number, v: number) => {
    idx.push(h & mask)
    val.push(v)
    norm2 += v * v
  }
  let prev = '<s>'
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    const key = t.kind === 'number' ? '<num>' : t.norm
    push(fnv1a(key, 0, key.length, rules.negated[i] ? SEED_NEG : SEED_WORD), 1)
    if (t.caps) push(fnv1a(key, 0, key.length, SEED_CAPS), 0.5)
    if (o.bigrams) {
      push(fnv1a(key, 0, key.length, fnvStep(fnv1a(prev, 0, prev.length, SEED_BIGRAM), 0x7c)), 0.7)
      prev = key
    }
    if (isTextual(t) && o.charNgrams.length > 0 && t.norm.length >= 2) charGrams(t.norm, o.charNgrams, rules.negated[i] === 1, (h) => push(h, o.charWeight))
  }
  if (o.bigrams) push(fnv1a('</s>', 0, 4, fnvStep(fnv1a(prev, 0, prev.length, SEED_BIGRAM), 0x7c)), 0.7)
  const scale = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0
  const base = 1 << o.hashBits
  const r = rules.features
  const index = new Int32Array(idx.length + r.length)
  const value = new Float32Array(idx.length + r.length)
  for (let k = 0; k < idx.length; k++) {
    index[k] = idx[k] as number
    value[k] = (val[k] as number) * scale
  }
  for (let k = 0; k < r.length; k++) {
    index[idx.length + k] = base + k
    value[idx.length + k] = r[k] as number
  }
  return { vector: { index, value }, rules }
}
