/** English stopwords: function words that carry no topic. */
const stopwords = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing ' +
    'down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more ' +
    'most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs ' +
    'them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with ' +
    'would you your yours yourself yourselves also new says said one two may like get got us s t'
  ).split(' '),
)

/**
 * A light English stemmer (a subset of Porter's step 1 plus common derivational endings), enough
 * for "elections"/"election", "running"/"run", "policies"/"policy" to meet. Words of ≤ 3 letters stay.
 */
export function stem(w: string): string {
  if (w.length <= 3) return w
  let s = w
  if (s.endsWith('sses')) s = s.slice(0, -2)
  else if (s.endsWith('ies')) s = `${s.slice(0, -3)}y`
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1)
  for (const [suffix, repl] of [
    ['ational', 'ate'],
    ['ization', 'ize'],
    ['fulness', 'ful'],
    ['iveness', 'ive'],
    ['ments', ''],
    ['ment', ''],
    ['ness', ''],
    ['ingly', ''],
    ['edly', ''],
    ['ing', ''],
    ['ed', ''],
    ['ly', ''],
  ] as const) {
    if (s.endsWith(suffix) && s.length - suffix.length >= 3 && /[aeiouy]/.test(s.slice(0, s.length - suffix.length))) {
      s = s.slice(0, s.length - suffix.length) + repl
      // "running" → "runn" → "run": undouble a final consonant left by -ing/-ed.
      if ((suffix === 'ing' || suffix === 'ed') && /([^aeiouslz])\1$/.test(s)) s = s.slice(0, -1)
      break
    }
  }
  return s
}

/** Lowercase, strip accents, split on anything but letters and digits, drop stopwords and 1-letter tokens, stem. */
export function tokenize(text: string): string[] {
  const out: string[] = []
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
  for (const raw of plain.split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || stopwords.has(raw)) continue
    out.push(stem(raw))
  }
  return out
}
