import t from 'tap'
import type { Analysis } from '../../src/analyzer/analyze.ts'
import { replyGuidance } from '../../src/domain/reply-guidance.ts'

const analysis = (emotion: 'anger' | 'joy' | 'sadness', over: Partial<Analysis['cues']> = {}, polarity: 'negative' | 'positive' = 'negative'): Analysis => ({
  language: 'eng',
  english: true,
  polarity: { label: polarity, compound: polarity === 'negative' ? -0.8 : 0.8, probabilities: { negative: 0.9, neutral: 0.05, positive: 0.05 } },
  emotion: { label: emotion, probabilities: { anger: 0, disgust: 0, fear: 0, joy: 0, sadness: 0, surprise: 0, neutral: 0, [emotion]: 1 } },
  cues: { negation: false, sarcasm: false, emoji: 0, shouting: false, elongation: false, mixed: false, lexiconCompound: 0, ...over },
})

t.test('tone follows the emotion; templates are marked as such', async (t) => {
  t.match(replyGuidance('x', analysis('anger'), undefined), { tone: 'apologetic', escalate: false, source: 'templates' })
  t.match(replyGuidance('x', analysis('sadness'), undefined), { tone: 'empathetic' })
  t.match(replyGuidance('x', analysis('joy', {}, 'positive'), undefined), { tone: 'appreciative' })
  t.equal(replyGuidance('same text', analysis('joy'), undefined).reply, replyGuidance('same text', analysis('joy'), undefined).reply, 'deterministic')
})

t.test('sarcasm gets a sincere reply; shouting anger or an unhappy user escalates', async (t) => {
  t.match(replyGuidance('x', analysis('joy', { sarcasm: true }), undefined), { tone: 'sincere' })
  t.match(replyGuidance('x', analysis('anger', { shouting: true }), undefined), { escalate: true })
  const g = replyGuidance('x', analysis('sadness'), { averageCompound: -0.6, total: 5 })
  t.ok(g.escalate)
  t.match(g.guidance, /unhappy recently/)
  t.notOk(replyGuidance('x', analysis('sadness'), { averageCompound: -0.6, total: 1 }).escalate, 'one earlier text is not a trend')
})
