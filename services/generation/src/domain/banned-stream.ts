import { bannedPattern, longestBanned, redactBanned } from './banned-words.ts'

export interface BannedStreamFilter {
  /** Takes the next chunk; returns the text safe to send now. */
  push(delta: string): string
  /** The rest, at the end of the stream. */
  flush(): string
  /** Banned words redacted so far. */
  found(): string[]
}

/**
 * Redacts banned words from a stream of chunks. It holds back the tail of the text (longer than the
 * longest banned word plus an inflection) and releases only up to a whitespace before that tail
 * that no banned match spans: a banned word starting in released text then ends inside the buffer,
 * where it was seen whole; and a word still being written at the end ("cheap" of "cheapness") is
 * never judged before it is complete.
 */
export function bannedStreamFilter(words: readonly string[]): BannedStreamFilter {
  const holdback = longestBanned(words) + 4
  const pattern = bannedPattern(words)
  const seen = new Set<string>()
  let buffer = ''
  const release = (text: string) => {
    const r = redactBanned(text, words)
    for (const f of r.found) seen.add(f)
    return r.text
  }
  return {
    push(delta) {
      buffer += delta
      if (!pattern) {
        const out = buffer
        buffer = ''
        return out
      }
      const limit = buffer.length - holdback
      if (limit <= 0) return ''
      const spans = [...buffer.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length] as const)
      let cut = -1
      for (let i = limit; i > 0; i--) {
        if (/\s/.test(buffer[i] as string) && !spans.some(([a, b]) => a < i && i < b)) {
          cut = i
          break
        }
      }
      if (cut <= 0) return ''
      const out = release(buffer.slice(0, cut))
      buffer = buffer.slice(cut)
      return out
    },
    flush() {
      const out = release(buffer)
      buffer = ''
      return out
    },
    found: () => [...seen],
  }
}
