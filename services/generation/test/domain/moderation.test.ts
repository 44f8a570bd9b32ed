import t from 'tap'
import { classify, flaggedCategories, isFlagged } from '../../src/domain/moderation.ts'

t.test('threats and self-harm score high, ordinary news low', async (t) => {
  const threat = classify("I'm going to kill you and your family")
  t.ok(isFlagged(threat, 0.8), `threat ${threat.score}`)
  t.same(flaggedCategories(threat, 0.8), ['violence'])
  t.ok(classify('I want to end my life').categories['self-harm'] >= 0.7)
  const news = classify('The council approved the new cycling lanes on Monday.')
  t.equal(news.score, 0)
  t.equal(news.source, 'local')
  t.ok(classify('shut up, you stupid loser').score >= 0.5, 'weak cues add up (noisy-OR)')
})

t.test('the one-scan shortcut neither drops a cue nor scores text without one', async (t) => {
  const quiet = classify('A calm report on the weekend weather, 12 degrees.')
  t.same(quiet, { score: 0, categories: { hate: 0, harassment: 0, violence: 0, 'self-harm': 0, sexual: 0 }, source: 'local' })
  const cues: [string, string][] = [
    ['hate', 'They are vermin'],
    ['harassment', 'nobody likes you'],
    ['violence', 'a massacre downtown'],
    ['self-harm', 'no reason to live'],
    ['sexual', 'an erotic novel'],
  ]
  for (const [category, text] of cues) {
    const v = classify(text.toUpperCase())
    t.ok(v.categories[category as keyof typeof v.categories] > 0, `${category} still scored (${text})`)
    t.equal(v.score, Math.max(...Object.values(v.categories)))
  }
})
