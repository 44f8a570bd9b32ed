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

t.test('a prepared system message follows the style, the voice object and the template', async (t) => {
  const casual = resolveStyle(undefined, { formality: 'casual' }).style
  const formal = resolveStyle(undefined, { formality: 'formal' }).style
  const v1 = { voiceId: 'v', name: 'Planet', version: 1, tone: 'witty', vocabulary: [], bannedWords: [], examples: [] }
  const v2 = { ...v1, version: 2, tone: 'solemn' }
  const system = (style: typeof casual, voice?: typeof v1, use: 'post' | 'caption' = 'post') =>
    buildPrompt(templateFor(use), { topic: 't', keyPoints: '' }, style, voice)[0]?.content ?? ''
  t.match(system(casual), /casual/)
  t.match(system(formal), /formal register/, 'another style, another message')
  t.equal(system(casual), system(casual), 'the same inputs, the same text')
  t.match(system(casual, v1), /Tone: witty/)
  t.match(system(casual, v2), /Tone: solemn/, 'a voice read again is a new entry')
  t.notMatch(system(casual), /Planet/, 'no voice, no voice lines')
  t.match(system(casual, undefined, 'caption'), /captions/)
  const chat = buildPrompt(
    templateFor('story'),
    { genre: 'noir', tone: 'grim', rating: 'teens', avoid: '', facts: '', characters: '', memory: '', input: 'go' },
    casual,
    undefined,
  )
  t.match(chat[0]?.content, /Genre: noir/, 'templates with placeholders are rendered each time')
})
