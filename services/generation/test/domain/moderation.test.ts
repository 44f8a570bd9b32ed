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
