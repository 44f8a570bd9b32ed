import type { StyleFeatures } from '../../domain/style.ts'

/** Marks every offline answer, so no one mistakes a template for a model. */
export const OFFLINE_MARK = '[offline]'

const simpler: [RegExp, string][] = [
  [/\bapproximately\b/gi, 'about'],
  [/\bannounce(d|s)?\b/gi, 'share$1'],
  [/\bpurchase\b/gi, 'buy'],
  [/\butili[sz]e\b/gi, 'use'],
  [/\bsubsequently\b/gi, 'then'],
  [/\badditional\b/gi, 'more'],
  [/\bassistance\b/gi, 'help'],
  [/\binformation\b/gi, 'info'],
]

const emojiSets = { positive: ['🎉', '✨', '🙌'], neutral: ['📰', '👉', '💡'], negative: ['🙏', '💙', '🤝'] } as const

/** Picks from a list by variant number, so variants differ and reruns agree. */
export function pick<T>(list: readonly T[], i: number): T {
  return list[((i % list.length) + list.length) % list.length] as T
}

/** Applies reading level and emoji to finished sentences, and joins them as the length asks. */
export function finish(sentences: string[], s: StyleFeatures, variant: number): string {
  const max = s.length === 'short' ? 1 : s.length === 'medium' ? 3 : 6
  let text = sentences.slice(0, max).join(' ')
  if (s.readingLevel === 'simple') for (const [re, w] of simpler) text = text.replace(re, w)
  const set = emojiSets[s.mood]
  if (s.emoji === 'some') text += ` ${pick(set, variant)}`
  if (s.emoji === 'lots') text += ` ${pick(set, variant)}${pick(set, variant + 1)}${pick(set, variant + 2)}`
  const note = s.language === 'en' ? '' : ` (${s.language} requested; offline templates write English)`
  return `${OFFLINE_MARK}${note} ${text}`
}

/** Openers by formality and mood. */
export function opener(s: StyleFeatures, variant: number): string {
  if (s.mood === 'negative')
    return pick(
      s.formality === 'formal' ? ['We understand this matters to you.', 'Thank you for your patience.'] : ['We hear you.', 'Thanks for bearing with us.'],
      variant,
    )
  const byFormality = {
    casual: ['Hey!', 'Guess what?', 'Heads up!'],
    neutral: ['Update:', 'New today:', 'Worth a look:'],
    formal: ['We are pleased to share an update.', 'Please note the following.', 'We would like to inform you.'],
  } as const
  return pick(byFormality[s.formality], variant)
}
