import { franc } from 'franc-min'
import type { Token } from './tokenize.ts'

export interface LanguageGuess {
  /** ISO 639-3 code (`eng`), or `und` when the text is too short or has no words to tell. */
  language: string
  /** Whether the analyzer scores it: English, or nothing that says otherwise (emoji only, very short). */
  english: boolean
}

const LETTER = /\p{L}/u
const LATIN = /\p{Script=Latin}/u

/** Letters, and letters in Latin script, of a text (ASCII without regular expressions: most social text is). */
function letterCounts(text: string): { letters: number; latin: number } {
  let letters = 0
  let latin = 0
  for (const ch of text) {
    const c = ch.charCodeAt(0)
    if (c < 128) {
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
        letters++
        latin++
      }
    } else if (LETTER.test(ch)) {
      letters++
      if (LATIN.test(ch)) latin++
    }
  }
  return { letters, latin }
}

/**
 * Guesses whether a text is English. Social text is short and full of slang that trigram detectors
 * (franc) misread, so the share of words from a common-English list decides first; franc only
 * names the language of texts that are mostly not such words, or not in Latin script.
 */
export function detectLanguage(text: string, tokens: readonly Token[], englishWords: ReadonlySet<string>): LanguageGuess {
  let words = 0
  let inList = 0
  for (const t of tokens) {
    if (t.kind !== 'word') continue
    words++
    if (englishWords.has(t.norm)) inList++
  }
  const { letters, latin } = letterCounts(text)
  if (letters > 0 && latin / letters < 0.5) {
    const lang = franc(text, { minLength: 1 })
    return { language: lang === 'eng' ? 'und' : lang, english: false }
  }
  if (words === 0) return { language: 'und', english: true }
  const known = inList / words
  if (known >= 0.5) return { language: 'eng', english: true }
  if (words < 3) return { language: 'und', english: true }
  const lang = franc(text, { minLength: 3 })
  if (lang === 'eng' || lang === 'und' || known >= 0.34) return { language: lang === 'und' ? 'und' : 'eng', english: true }
  return { language: lang, english: false }
}
