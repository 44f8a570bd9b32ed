// Hand-written hard cases of social text, scored by the committed model: negation and its scope,
// emoji and emoticons, sarcasm markers, mixed texts, caps and elongation, other languages.
import t from 'tap'
import { analyze } from '../../src/analyzer/analyze.ts'
import { loadCommittedModel } from '../../src/model-files.ts'

const model = loadCommittedModel()
const polarity = (text: string) => analyze(model, text).polarity?.label
const emotion = (text: string) => analyze(model, text).emotion?.label

t.test('negation flips what follows, within its clause', async (t) => {
  t.equal(polarity('This is good.'), 'positive')
  t.equal(polarity('This is not good at all.'), 'negative')
  t.equal(polarity('This is not bad at all, actually pretty decent.'), 'positive')
  t.equal(polarity('Never been so disappointed in a product'), 'negative', '"never so" intensifies')
  t.ok(analyze(model, 'This is not good').cues.negation)
  t.equal(polarity('Not now. I love it'), 'positive', 'scope ends at the full stop')
  t.equal(polarity('No, I love it'), 'positive', 'scope ends at the comma')
})

t.test('a negated negative with nothing negative left is not negative (litotes)', async (t) => {
  for (const text of ["I don't hate it", 'not bad', "can't complain", "it's not terrible", "I'm not unhappy"]) {
    const a = analyze(model, text)
    t.not(a.polarity?.label, 'negative', text)
    t.ok((a.polarity?.compound ?? -1) > 0, `${text}: leans positive`)
    t.equal(a.emotion?.label, 'neutral', `${text}: no anger`)
  }
  t.equal(polarity("I don't hate it, I despise it"), 'negative', 'a negative word left keeps it negative')
  t.equal(polarity('Not bad, but the price is awful'), 'negative')
  t.equal(polarity("I don't hate it 😡"), 'negative', 'an angry emoji keeps it negative')
  t.equal(polarity('this is not good'), 'negative', 'a negated positive is still negative')
})

t.test('social slang', async (t) => {
  for (const text of ['this update is trash', 'the new update is garbage tbh', 'this is so cringe']) t.equal(polarity(text), 'negative', text)
  for (const text of ['ngl this slaps', 'this is fire 🔥', 'such a banger']) t.equal(polarity(text), 'positive', text)
})

t.test('emoji and emoticons carry sentiment and emotion on their own', async (t) => {
  t.equal(polarity('😍😍😍'), 'positive')
  t.equal(polarity('😡😡😡'), 'negative')
  t.equal(emotion('😡😡😡'), 'anger')
  t.equal(polarity('💔😭'), 'negative')
  t.equal(emotion('💔😭'), 'sadness')
  t.equal(polarity('I love this so much 😍'), 'positive')
  t.equal(polarity("I'm sad that it ended :("), 'negative')
  t.equal(analyze(model, 'ok :) 👍🏽').cues.emoji, 2, 'emoticon and emoji with a skin tone each count once')
})

t.test('caps and elongation strengthen, they do not flip', async (t) => {
  const plain = analyze(model, 'this is good').polarity?.compound ?? 0
  const loud = analyze(model, 'this is sooooo GOOD!!!')
  t.equal(loud.polarity?.label, 'positive')
  t.ok(loud.cues.shouting && loud.cues.elongation)
  t.ok((loud.polarity?.compound ?? 0) >= plain, 'at least as positive as the plain text')
})

t.test('a sarcasm marker turns positive words down', async (t) => {
  for (const text of [
    'Lost my phone today. Great. Just great.',
    'Great, another Monday. Just what I needed /s',
    'Oh great, my flight got cancelled again 🙄',
    'Yeah right, best service ever',
  ]) {
    const a = analyze(model, text)
    t.ok(a.cues.sarcasm, `${text}: marker found`)
    t.equal(a.polarity?.label, 'negative', text)
  }
  t.notOk(analyze(model, 'Great service, thank you!').cues.sarcasm)
})

t.test('mixed texts are flagged and not read as clearly positive', async (t) => {
  const a = analyze(model, 'I love the design but I hate the price')
  t.ok(a.cues.mixed)
  t.not(a.polarity?.label, 'positive')
  const b = analyze(model, 'The camera is amazing but the battery life is terrible')
  t.ok(b.cues.mixed)
  t.ok((b.polarity?.probabilities.negative ?? 0) > 0.15, 'the complaint keeps real negative mass')
})

t.test('mentions, hashtags and URLs are read, not scored as words', async (t) => {
  t.equal(polarity('@united lost my bag again #fail http://t.co/abc'), 'negative')
  t.equal(polarity('Check out our new post https://example.com/a'), 'neutral')
  t.equal(emotion('I am so scared of what happens next'), 'fear')
  t.equal(emotion('That is disgusting, gross'), 'disgust')
})

t.test('texts in other languages are flagged, not scored as English', async (t) => {
  for (const [text, language] of [
    ['Je suis vraiment déçu par ce produit', 'fra'],
    ['Esto es increíble, me encanta mucho', 'spa'],
    ['Das ist wirklich sehr schlecht gemacht', 'deu'],
  ] as const) {
    const a = analyze(model, text)
    t.equal(a.english, false, text)
    t.equal(a.language, language, text)
    t.equal(a.polarity, null)
    t.equal(a.emotion, null)
  }
  t.equal(analyze(model, 'это ужасно').english, false, 'another script')
  for (const text of ['lol', 'omg yesss', 'tbh idk', '😂😂', 'ngl this slaps'])
    t.equal(analyze(model, text).english, true, `${text}: short slang stays English`)
})

t.test('probabilities are distributions and compound is P(pos) − P(neg)', async (t) => {
  const a = analyze(model, 'Not sure how I feel about this update')
  const p = a.polarity?.probabilities
  const e = a.emotion?.probabilities
  if (!p || !e) throw new Error('scored')
  t.ok(Math.abs(p.negative + p.neutral + p.positive - 1) < 1e-3)
  t.ok(Math.abs(Object.values(e).reduce((s, x) => s + x, 0) - 1) < 1e-3)
  t.ok(Math.abs((a.polarity?.compound ?? 0) - (p.positive - p.negative)) < 1e-3)
})
