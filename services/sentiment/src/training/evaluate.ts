import { analyze } from '../analyzer/analyze.ts'
import { EmotionLabels, Polarities, type Polarity } from '../analyzer/labels.ts'
import type { SentimentModel } from '../analyzer/model.ts'
import type { Example } from './goemotions.ts'
import { type LabelScores, perLabelF1 } from './metrics.ts'

export interface Evaluation {
  polarity: LabelScores[]
  emotion: LabelScores[]
}

/** Scores the model on examples: emotion on all, polarity on those with one polarity. */
export function evaluateModel(model: SentimentModel, examples: readonly Example[]): Evaluation {
  const goldP: Polarity[][] = []
  const predP: string[] = []
  const predE: string[] = []
  for (const e of examples) {
    const a = analyze(model, e.text)
    // A text taken for another language counts as neutral (the service would not score it).
    predE.push(a.emotion?.label ?? 'neutral')
    if (e.polarity) {
      goldP.push([e.polarity])
      predP.push(a.polarity?.label ?? 'neutral')
    }
  }
  return {
    polarity: perLabelF1(Polarities, goldP, predP),
    emotion: perLabelF1(
      EmotionLabels,
      examples.map((e) => e.emotions),
      predE,
    ),
  }
}
