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

interface BannedMatcher {
  /** Global, shared: used only with `matchAll` (which copies it) and `replace` (which starts from and leaves `lastIndex` 0), never `exec` or `test`. */
  re: RegExp | undefined
  /** Each word as configured and as a hit is compared with it (lower case, single spaces), in the configured order. */
  words: { word: string; normalized: string }[]
}

// A voice's list arrives with every request (and every streamed chunk): its pattern is compiled
// once per distinct list, not on each call.
const matchers = new Map<string, BannedMatcher>()

function matcherFor(words: readonly string[]): BannedMatcher {
  const key = words.join('\u0000')
  let m = matchers.get(key)
  if (!m) {
    m = { re: bannedPattern(words), words: words.map((word) => ({ word, normalized: word.trim().toLowerCase().replace(/\s+/g, ' ') })) }
    if (matchers.size >= 1000) matchers.delete(matchers.keys().next().value as string)
    matchers.set(key, m)
  }
  return m
}

function found(text: string, m: BannedMatcher): string[] {
  if (!m.re) return []
  const hits = new Set<string>()
  for (const match of text.matchAll(m.re)) {
    const hit = match[0].toLowerCase().replace(/\s+/g, ' ')
    hits.add(m.words.find((w) => hit.startsWith(w.normalized))?.word ?? hit)
  }
  return [...hits]
}

/** The banned words present in text. */
export function findBanned(text: string, words: readonly string[]): string[] {
  return found(text, matcherFor(words))
}

/** Replaces each banned word with a same-length run of `█`, so none reaches the output. */
export function redactBanned(text: string, words: readonly string[]): BannedCheck {
  const m = matcherFor(words)
  const hits = found(text, m)
  if (!m.re || hits.length === 0) return { text, found: hits }
  return { text: text.replace(m.re, (w) => '█'.repeat(w.length)), found: hits }
}

/** The longest banned word, in characters: how much a stream holds back so none is split across chunks. */
export function longestBanned(words: readonly string[]): number {
  return words.reduce((n, w) => Math.max(n, w.length), 0)
}
