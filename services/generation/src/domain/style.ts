/** How generated text should read for one user: the profile features a prompt is built from. */
export interface StyleFeatures {
  language: string
  formality: 'casual' | 'neutral' | 'formal'
  length: 'short' | 'medium' | 'long'
  emoji: 'none' | 'some' | 'lots'
  readingLevel: 'simple' | 'standard' | 'advanced'
  /** The user's current mood from their latest scored text; `neutral` when unknown. */
  mood: 'negative' | 'neutral' | 'positive'
}

/** Where a feature's value came from: the "why" of an output. */
export type FeatureSource = 'preferences' | 'sentiment' | 'request' | 'default'

export interface FeatureUse {
  name: keyof StyleFeatures
  value: string
  source: FeatureSource
}

/** What is mirrored about a user from `attune.profiles` and `attune.sentiment`. */
export interface UserSignals {
  languages: string[]
  style: Partial<Omit<StyleFeatures, 'language' | 'mood'>> | null
  sentimentCompound: number | null
}

export const defaultStyle: StyleFeatures = {
  language: 'en',
  formality: 'neutral',
  length: 'medium',
  emoji: 'none',
  readingLevel: 'standard',
  mood: 'neutral',
}

/** Compound polarity beyond which the mood is negative or positive (VADER's usual cut-offs). */
export const MOOD_CUTOFF = 0.05

/**
 * The style for one output: request overrides first, then the user's preferences and mood, then
 * defaults; each feature says where it came from.
 */
export function resolveStyle(signals: UserSignals | undefined, overrides: Partial<StyleFeatures>): { style: StyleFeatures; features: FeatureUse[] } {
  const style = { ...defaultStyle }
  const features: FeatureUse[] = []
  const set = <K extends keyof StyleFeatures>(name: K, value: StyleFeatures[K] | undefined, source: FeatureSource) => {
    if (value === undefined) return false
    style[name] = value
    features.push({ name, value, source })
    return true
  }
  const fromPrefs = {
    language: signals?.languages[0]?.split('-')[0]?.toLowerCase(),
    formality: signals?.style?.formality,
    length: signals?.style?.length,
    emoji: signals?.style?.emoji,
    readingLevel: signals?.style?.readingLevel,
  }
  const compound = signals?.sentimentCompound ?? null
  const mood: StyleFeatures['mood'] | undefined =
    compound === null ? undefined : compound <= -MOOD_CUTOFF ? 'negative' : compound >= MOOD_CUTOFF ? 'positive' : 'neutral'
  for (const name of ['language', 'formality', 'length', 'emoji', 'readingLevel'] as const) {
    if (!set(name, overrides[name] as never, 'request') && !set(name, fromPrefs[name] as never, 'preferences')) {
      features.push({ name, value: style[name], source: 'default' })
    }
  }
  if (!set('mood', overrides.mood, 'request') && !set('mood', mood, 'sentiment')) features.push({ name: 'mood', value: style.mood, source: 'default' })
  return { style, features }
}

/** Style instructions for a prompt, one line per feature. */
export function styleInstructions(s: StyleFeatures): string[] {
  const lines = [
    `Write in language "${s.language}".`,
    s.formality === 'formal'
      ? 'Use a formal register: complete sentences, no slang, address the reader politely.'
      : s.formality === 'casual'
        ? 'Use a casual, friendly register, like talking to a friend.'
        : 'Use a neutral, clear register.',
    s.length === 'short'
      ? 'Keep it short: one or two sentences.'
      : s.length === 'long'
        ? 'Be thorough: four to six sentences.'
        : 'Keep it to about three sentences.',
    s.emoji === 'none' ? 'Do not use emoji.' : s.emoji === 'lots' ? 'Use several emoji.' : 'Use at most one emoji.',
    s.readingLevel === 'simple'
      ? 'Use simple words and short sentences (reading age 9-11).'
      : s.readingLevel === 'advanced'
        ? 'Precise, rich vocabulary is welcome.'
        : 'Use everyday vocabulary.',
  ]
  if (s.mood === 'negative') lines.push('The reader seems upset lately: be gentle and reassuring, avoid exclamation marks.')
  if (s.mood === 'positive') lines.push('The reader is in a good mood: an upbeat tone fits.')
  return lines
}
