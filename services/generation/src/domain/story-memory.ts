/** First sentence of a text, at most `max` characters (cut at a word). */
export function firstSentence(text: string, max = 160): string {
  const s = (/^[^.!?]*[.!?]/.exec(text.trim())?.[0] ?? text.trim()).trim()
  return truncateWords(s, max)
}

/** Cuts at a word boundary so the result has at most `max` characters (an ellipsis marks a cut). */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, Math.max(0, max - 1))
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** One memory line for a turn: what the reader did and what happened. */
export function summarizeTurn(input: string, narration: string): string {
  const did = truncateWords(input.replace(/\s+/g, ' ').trim(), 80)
  // A provider tag such as "[offline]" is about the answer, not the story.
  return `${did ? `Reader: ${did}. ` : ''}${firstSentence(narration.replace(/^\[[^\]]*\]\s*/, ''))}`
}

const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0)

/**
 * The running memory after one more turn, kept within `budgetChars`: when over, the two oldest
 * lines are merged into one shorter "Earlier:" line, repeatedly, so recent turns stay verbatim
 * and old ones fade into a summary. Pure: a branch extends its parent's memory, never a sibling's.
 */
export function extendMemory(memory: readonly string[], line: string, budgetChars: number): string[] {
  const lines = [...memory, line]
  while (size(lines) > budgetChars && lines.length > 1) {
    const [a = '', b = ''] = lines
    const strip = (s: string) => s.replace(/^Earlier: /, '')
    const merged = `Earlier: ${truncateWords(`${strip(a)} ${strip(b)}`, Math.max(40, Math.floor(budgetChars / 3)))}`
    lines.splice(0, 2, merged)
  }
  if (lines.length === 1 && (lines[0] as string).length > budgetChars) lines[0] = truncateWords(lines[0] as string, budgetChars)
  return lines
}
