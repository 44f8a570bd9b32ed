import type { RuleBlend, SentimentModel } from '../analyzer/model.ts'
import { evaluateModel } from './evaluate.ts'
import type { Example } from './goemotions.ts'
import { macroF1 } from './metrics.ts'

export const blendGrid = [0, 0.5, 1, 1.5, 2, 3, 4] as const

/**
 * Picks each head's rule-blend weight on dev: the largest β whose macro-F1 is within `tolerance`
 * of the best. Leaning to the rules costs nothing measurable on Reddit comments and keeps the
 * lexicon's and emoji table's reach on social text unlike them (tweets, emoji-only replies).
 */
export function tuneBlend(model: SentimentModel, dev: readonly Example[], tolerance = 0.01): { blend: RuleBlend; trace: string[] } {
  const trace: string[] = []
  const scores = blendGrid.map((beta) => {
    const ev = evaluateModel({ ...model, blend: { polarity: beta, emotion: beta } }, dev)
    const p = macroF1(ev.polarity)
    const e = macroF1(ev.emotion)
    trace.push(`beta=${beta}: polarity ${p.toFixed(4)} emotion ${e.toFixed(4)}`)
    return { beta, p, e }
  })
  const pick = (f: (s: (typeof scores)[number]) => number) => {
    const best = Math.max(...scores.map(f))
    return Math.max(...scores.filter((s) => f(s) >= best - tolerance).map((s) => s.beta))
  }
  return { blend: { polarity: pick((s) => s.p), emotion: pick((s) => s.e) }, trace }
}
