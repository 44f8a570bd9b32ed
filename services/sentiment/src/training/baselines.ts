import { createRequire } from 'node:module'
import type { Polarity } from '../analyzer/labels.ts'

/** An in-process analyzer people use today, reduced to a polarity label with its documented threshold. */
export interface Baseline {
  name: string
  classify(text: string): Polarity
}

interface Vader {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } }
}
type AfinnCtor = new () => { analyze(text: string): { score: number } }
type Wink = (text: string) => { normalizedScore: number }

const sign = (x: number, eps = 0): Polarity => (x > eps ? 'positive' : x < -eps ? 'negative' : 'neutral')

/** vader-sentiment (compound ≥ 0.05 positive, ≤ −0.05 negative, as its authors advise), sentiment (AFINN-165 score sign), wink-sentiment (normalized score sign). */
export function loadBaselines(): Baseline[] {
  const require = createRequire(import.meta.url)
  const vader = require('vader-sentiment') as Vader
  const Afinn = require('sentiment') as AfinnCtor
  const wink = require('wink-sentiment') as Wink
  const afinn = new Afinn()
  return [
    { name: 'vader-sentiment', classify: (t) => sign(vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, 0.0499) },
    { name: 'sentiment (AFINN)', classify: (t) => sign(afinn.analyze(t).score) },
    { name: 'wink-sentiment', classify: (t) => sign(wink(t).normalizedScore) },
  ]
}
