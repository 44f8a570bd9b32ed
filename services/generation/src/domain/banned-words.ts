export interface BannedCheck {
  text: string
  /** The banned words (as configured) found before redaction. */
  found: string[]
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * One case-insensitive pattern for a voice's banned words and phrases: whole words only, plus the
 * simple inflections `-s`, `-es`, `-ed`, `-ing` ("cheap" catches "cheaps" but not "cheapskate").
 */
export function bannedPattern(words: readonly string[]): RegExp | undefined {
  const parts = words
    .map((w) => w.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((w) => `${escapeRegExp(w).replace(/\s+/g, '\\s+')}(?:s|es|ed|ing)?`)
  if (parts.length === 0) return undefined
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
}

/** The banned words present in text. */
export function findBanned(text: string, words: readonly string[]): string[] {
  const re = bannedPattern(words)
  if (!re) return []
  const found = new Set<string>()
  for (const m of text.matchAll(re)) {
    const hit = m[0].toLowerCase().replace(/\s+/g, ' ')
    const word = words.find((w) => hit.startsWith(w.trim().toLowerCase().replace(/\s+/g, ' ')))
    found.add(word ?? hit)
  }
  return [...found]
}

/** Replaces each banned word with a same-length run of `█`, so none reaches the output. */
export function redactBanned(text: string, words: readonly string[]): BannedCheck {
  const found = findBanned(text, words)
  const re = bannedPattern(words)
  if (!re || found.length === 0) return { text, found }
  return { text: text.replace(re, (m) => '█'.repeat(m.length)), found }
}

/** The longest banned word, in characters: how much a stream holds back so none is split across chunks. */
export function longestBanned(words: readonly string[]): number {
  return words.reduce((n, w) => Math.max(n, w.length), 0)
}
