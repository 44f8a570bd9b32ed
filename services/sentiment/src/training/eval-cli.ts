// Prints macro-F1 per label on GoEmotions dev for the committed model, and a polarity table side by
// side with vader-sentiment, sentiment (AFINN) and wink-sentiment on the same texts, with texts/s.
// Usage: pnpm --filter @attune/sentiment eval
import { readFileSync } from 'node:fs'
import { analyze } from '../analyzer/analyze.ts'
import { EmotionLabels, Polarities, type Polarity } from '../analyzer/labels.ts'
import { dataDir, loadCommittedModel } from '../model-files.ts'
import { loadBaselines } from './baselines.ts'
import { parseGoEmotions } from './goemotions.ts'
import { accuracy, perLabelF1 } from './metrics.ts'
import { markdownTable } from './report.ts'

const dev = parseGoEmotions(readFileSync(`${dataDir}/dev.tsv`, 'utf8'))
const withPolarity = dev.filter((e) => e.polarity !== undefined)
const gold = withPolarity.map((e) => [e.polarity as Polarity])
const model = loadCommittedModel()

/** Labels every text twice (the first pass warms the JIT) and measures the second. */
function timed<T>(texts: readonly string[], f: (t: string) => T): { out: T[]; perSecond: number } {
  for (const t of texts) f(t)
  const start = process.hrtime.bigint()
  const out = texts.map(f)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return { out, perSecond: texts.length / seconds }
}

const texts = withPolarity.map((e) => e.text)
const systems = [{ name: '**attune**', classify: (t: string) => analyze(model, t).polarity?.label ?? 'neutral' }, ...loadBaselines()]
const rows = systems.map((s) => {
  const { out, perSecond } = timed(texts, s.classify)
  return {
    name: s.name,
    scores: perLabelF1(Polarities, gold, out),
    extra: { accuracy: accuracy(gold, out).toFixed(3), 'texts/s': Math.round(perSecond).toLocaleString('en') },
  }
})
const emotion = timed(
  dev.map((e) => e.text),
  (t) => analyze(model, t).emotion?.label ?? 'neutral',
)
const emotionScores = perLabelF1(
  EmotionLabels,
  dev.map((e) => e.emotions),
  emotion.out,
)

console.log(
  `GoEmotions dev: ${dev.length} comments, ${withPolarity.length} with a single polarity (model from "${model.meta.command}", seed ${model.meta.seed})\n`,
)
console.log(markdownTable('Polarity (negative / neutral / positive)', Polarities, rows))
console.log('')
console.log(
  markdownTable('Ekman emotion (the baselines have none)', EmotionLabels, [
    {
      name: '**attune**',
      scores: emotionScores,
      extra: {
        accuracy: accuracy(
          dev.map((e) => e.emotions),
          emotion.out,
        ).toFixed(3),
        'texts/s': Math.round(emotion.perSecond).toLocaleString('en'),
      },
    },
  ]),
)
