import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * VADER's lexicon (Hutto & Gilbert 2014, MIT), read from the `vader-sentiment` package: word or
 * emoticon → mean valence on -4 … 4. Training copies it into model/lexicon.json with attribution.
 */
export function readVaderLexicon(): Map<string, number> {
  const pkg = createRequire(import.meta.url).resolve('vader-sentiment/package.json')
  const text = readFileSync(join(dirname(pkg), 'vader_lexicon.txt'), 'utf8')
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const [word, mean] = line.split('\t')
    if (word && mean !== undefined && Number.isFinite(Number(mean))) out.set(word, Number(mean))
  }
  return out
}
