import t from 'tap'
import { buildPrompt } from '../../src/domain/prompt.ts'
import { resolveStyle } from '../../src/domain/style.ts'
import { render, templateFor } from '../../src/domain/templates.ts'

t.test('request beats preferences beats defaults; each feature says its source', async (t) => {
  const { style, features } = resolveStyle(
    { languages: ['fr-FR'], style: { formality: 'formal', emoji: 'none', length: 'short', readingLevel: 'advanced' }, sentimentCompound: -0.6 },
    { emoji: 'lots' },
  )
  t.same(style, { language: 'fr', formality: 'formal', length: 'short', emoji: 'lots', readingLevel: 'advanced', mood: 'negative' })
  const source = Object.fromEntries(features.map((f) => [f.name, f.source]))
  t.same(source, { language: 'preferences', formality: 'preferences', length: 'preferences', emoji: 'request', readingLevel: 'preferences', mood: 'sentiment' })
  const none = resolveStyle(undefined, {})
  t.ok(none.features.every((f) => f.source === 'default'))
})

t.test('prompts carry template, voice and style', async (t) => {
  const { style } = resolveStyle(
    { languages: [], style: { formality: 'casual', emoji: 'lots', length: 'short', readingLevel: 'simple' }, sentimentCompound: null },
    {},
  )
  const voice = { voiceId: 'v', name: 'Planet', version: 3, tone: 'witty', vocabulary: ['scoop'], bannedWords: ['cheap'], examples: ['Hot off the press.'] }
  const [system, user] = buildPrompt(templateFor('post'), { topic: 'rain', keyPoints: '' }, style, voice)
  t.match(system?.content, /social-media posts[\s\S]*Planet[\s\S]*Never use these words: cheap[\s\S]*casual[\s\S]*several emoji[\s\S]*simple words/)
  t.equal(user?.content, 'Write a social-media post about: rain.')
  t.throws(() => render('{{missing}}', {}), /missing/)
})
