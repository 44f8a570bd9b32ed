import t from 'tap'
import { resolveStyle } from '../../src/domain/style.ts'
import { readerAct } from '../../src/providers/offline/compose-story.ts'
import { offlineProvider } from '../../src/providers/offline-provider.ts'
import type { CompletionRequest } from '../../src/providers/provider.ts'

const provider = offlineProvider()
const req = (style: Parameters<typeof resolveStyle>[1], n = 2): CompletionRequest => ({
  model: 'x',
  messages: [{ role: 'user', content: 'hi' }],
  n,
  temperature: 0,
  maxTokens: 10,
  brief: {
    kind: 'generate',
    use: 'post',
    topic: 'our new climate newsletter',
    keyPoints: ['every Friday', 'free for subscribers'],
    style: resolveStyle(undefined, style).style,
  },
})

t.test('offline answers say so, differ per variant and follow the style', async (t) => {
  const formal = await provider.complete(req({ formality: 'formal', emoji: 'none', length: 'long' }))
  const casual = await provider.complete(req({ formality: 'casual', emoji: 'lots', length: 'short' }))
  for (const text of [...formal.texts, ...casual.texts]) t.match(text, /^\[offline\] /)
  t.equal(formal.provider, 'offline')
  t.not(formal.texts[0], formal.texts[1], 'variants differ')
  t.match(formal.texts[0], /We are pleased to share an update\./)
  t.notMatch(formal.texts[0], /\p{Extended_Pictographic}/u)
  t.match(casual.texts[0], /^\[offline\] Hey! \S+\S+\S+$/u, 'short: one sentence, then emoji')
  t.ok((formal.texts[0] as string).length > (casual.texts[0] as string).length)
  t.ok(formal.usage.promptTokens > 0 && formal.usage.completionTokens > 0, 'usage estimated')
})

t.test('story turns are JSON; streams end with usage', async (t) => {
  const style = resolveStyle(undefined, {}).style
  const r = await provider.complete({
    ...req({}, 1),
    brief: { kind: 'story', genre: 'mystery', tone: 'serious', input: 'Open the drawer', memory: [], characters: ['Ada'], turn: 1, style },
  })
  const out = JSON.parse(r.texts[0] as string)
  t.match(out, { narration: /^\[offline\] You decide to open the drawer\..*Ada watches you closely/ })
  t.equal(out.options.length, 3)
  const parts = []
  for await (const p of provider.stream(req({}))) parts.push(p)
  t.ok('usage' in (parts.at(-1) ?? {}))
})

t.test("a story turn tells the reader's input in the second person", async (t) => {
  const characters = ['Mara', 'Ada Lovelace']
  t.equal(readerAct('Examine the desk drawer', characters), 'You decide to examine the desk drawer.', 'an option')
  t.equal(readerAct('Ask Mara about the lamp', characters), 'You decide to ask Mara about the lamp.', 'names keep their capitals')
  t.equal(readerAct('I open the door!', characters), 'You open the door.')
  t.equal(readerAct("I'm lost", characters), 'You are lost.')
  t.equal(readerAct('we were here', characters), 'You were here.')
  t.equal(readerAct('Mara climbs the stairs.', characters), 'Mara climbs the stairs.', 'a sentence about a character stays as it is')
  t.equal(readerAct('Ada looks up', characters), 'Ada looks up.')
})
