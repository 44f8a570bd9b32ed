/** What a token is; the analyzer treats each kind differently (lexicon, features, emphasis). */
export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'hashtag' | 'mention' | 'url' | 'number' | 'punct'

export interface Token {
  kind: TokenKind
  /** Lowercased, elongations squeezed to two letters ("soooo" → "soo"), hashtags without '#'. */
  norm: string
  /** Written in capitals (two letters or more) inside a text that is not all capitals. */
  caps: boolean
  /** A letter repeated three times or more ("soooo", "nooo"). */
  elongated: boolean
}

// Sideways faces, both directions, with optional nose; plus hearts and a few social-media staples.
const EMOTICON = String.raw`(?:[<>]?[:;=8xX][\-o*']?[)\](\[dDpP/\\|@3*]+|[)\](\[dDpP/\\|@3]+[\-o*']?[:;=8]|<3+|<\/3|\^_*\^|[-oO>]_+[-oO<]|[Tt]_[Tt]|;_;|:'\(|:'\))`
const URL = String.raw`(?:https?:\/\/|www\.)\S+`
const MENTION = String.raw`@\w{1,30}|\[NAME\]|\[RELIGION\]`
const HASHTAG = String.raw`#[\p{L}\p{N}_]+`
// One pictographic emoji with its modifiers (skin tone, variation selector, ZWJ sequences) or a flag.
const EMOJI = String.raw`(?:\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u200D\p{Extended_Pictographic})*|\p{Regional_Indicator}{2})`
const WORD = String.raw`[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*(?:['’][\p{L}]+)*`
const NUMBER = String.raw`\p{N}+(?:[.,]\p{N}+)*`
const PUNCT = String.raw`[!?]+|\.{2,}|…|[.,;:()"*\-]`

const TOKEN = new RegExp(`(${URL})|(${EMOTICON})|(${MENTION})|(${HASHTAG})|(${EMOJI})|(${WORD})|(${NUMBER})|(${PUNCT})`, 'gu')
const ELONGATED = /(\p{L})\1{2,}/gu
const HAS_LOWER = /\p{Ll}/u
const HAS_UPPER = /\p{Lu}/u

function isUpperWord(s: string): boolean {
  return s.length >= 2 && HAS_UPPER.test(s) && !HAS_LOWER.test(s)
}

/** Whether a code unit repeats three times in a row (the cheap test before the regular expression). */
function hasTriple(s: string): boolean {
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) === s.charCodeAt(i - 1) && s.charCodeAt(i) === s.charCodeAt(i - 2)) return true
  return false
}

/** Squeezes a letter repeated 3+ times to two ("soooo" → "soo", "goooood" → "good"). */
export function squeeze(word: string): string {
  return hasTriple(word) ? word.replace(ELONGATED, '$1$1') : word
}

/**
 * Splits social text into typed tokens. Capitals count as emphasis only when the text also has
 * lowercase words (VADER's rule: a text written all in capitals is not shouting word by word).
 */
export function tokenize(text: string): Token[] {
  const raw: { kind: TokenKind; text: string }[] = []
  for (const m of text.matchAll(TOKEN)) {
    const kind: TokenKind = m[1] ? 'url' : m[2] ? 'emoticon' : m[3] ? 'mention' : m[4] ? 'hashtag' : m[5] ? 'emoji' : m[6] ? 'word' : m[7] ? 'number' : 'punct'
    raw.push({ kind, text: m[0] })
  }
  const words = raw.filter((t) => t.kind === 'word' && t.text.length >= 2)
  const upper = words.filter((t) => isUpperWord(t.text)).length
  const shouting = upper > 0 && upper < words.length
  return raw.map(({ kind, text: t }) => {
    if (kind === 'word' || kind === 'hashtag') {
      const body = kind === 'hashtag' ? t.slice(1) : t
      const lowered = body.toLowerCase()
      const lower = lowered.includes('’') ? lowered.replaceAll('’', "'") : lowered
      const norm = squeeze(lower)
      return { kind, norm, caps: shouting && isUpperWord(body), elongated: norm !== lower }
    }
    if (kind === 'url') return { kind, norm: '<url>', caps: false, elongated: false }
    if (kind === 'mention') return { kind, norm: '<user>', caps: false, elongated: false }
    if (kind === 'emoji') return { kind, norm: t.replace(/[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu, ''), caps: false, elongated: false }
    if (kind === 'emoticon') return { kind, norm: t, caps: false, elongated: false }
    if (kind === 'punct')
      return {
        kind,
        norm: t.startsWith('!') ? '!' : t.startsWith('?') ? '?' : t === '…' ? '...' : t.slice(0, 3),
        caps: false,
        elongated: t.length > 1 && /^[!?]+$/.test(t),
      }
    return { kind, norm: t, caps: false, elongated: false }
  })
}
