import t from 'tap'
import { analyze } from '../../src/analyzer/analyze.ts'
import { extractFeatures } from '../../src/analyzer/features.ts'
import { quantizedScores, scoresOf } from '../../src/analyzer/linear.ts'
import { decodeModel, encodeWeights, type LexiconFile } from '../../src/analyzer/model.ts'
import { tokenize } from '../../src/analyzer/tokenize.ts'
import { parseGoEmotions } from '../../src/training/goemotions.ts'
import { englishWordList, trainHeads, vectorize } from '../../src/training/train.ts'

const tsv = [
  'I love this so much\t18\ta',
  'this is awful and I hate it\t2\tb',
  'what a great day\t17\tc',
  'the bus comes at noon\t27\td',
  'so sad and lonely\t25\te',
  'terrible, just terrible\t9\tf',
].join('\n')

t.test('a trained model survives the save/load round trip and training is seeded', async (t) => {
  const examples = parseGoEmotions(tsv)
  t.same(examples[1], { text: 'this is awful and I hate it', emotions: ['anger'], polarity: 'negative' })
  const lexicon = new Map([
    ['love', 3.2],
    ['hate', -2.7],
  ])
  const features = { hashBits: 10, charNgrams: [3], bigrams: true, charWeight: 0.35 }
  const options = { features, sgd: { epochs: 20, learningRate: 0.3, l2: 1e-6, seed: 7 }, classWeightPower: 0.5 }
  const xs = vectorize(examples, lexicon, features)
  const heads = trainHeads(examples, xs, options)
  const again = trainHeads(examples, xs, options)
  t.ok(
    heads.emotion.weights.some((w) => w !== 0),
    'training moved the weights',
  )
  t.same(Array.from(heads.emotion.weights), Array.from(again.emotion.weights), 'same seed, same emotion weights')
  t.same(Array.from(heads.polarity.weights), Array.from(again.polarity.weights), 'same seed, same polarity weights')
  const meta = { trainedOn: 'fixture', seed: 7, command: 'fixture', dev: { polarityMacroF1: 0, emotionMacroF1: 0 } }
  const lexiconFile: LexiconFile = {
    format: 'attune-sentiment-lexicon',
    version: 1,
    sources: [],
    valence: Object.fromEntries(lexicon),
    englishWords: englishWordList(examples, lexicon, 100),
  }
  const file = JSON.parse(JSON.stringify(encodeWeights({ features, ...heads, meta, blend: { polarity: 1, emotion: 1 } })))
  const model = decodeModel(file, lexiconFile)
  // int8 weights: the loaded model predicts what the trained one learned.
  t.equal(analyze(model, 'I love this so much')?.polarity?.label, 'positive')
  t.equal(analyze(model, 'this is awful and I hate it')?.polarity?.label, 'negative')
  t.throws(() => decodeModel({ ...file, version: 2 }, lexiconFile), /version 1/)
  // The analyzer scores with both heads fused as int8: the same scores as the decoded float heads.
  const text = 'what a great day, I love this'
  const x = extractFeatures(text, tokenize(text), model.lexicon, features).vector
  const fused = Array.from(quantizedScores(model.fused, x))
  const separate = [...scoresOf(model.polarity, x), ...scoresOf(model.emotion, x)]
  t.equal(fused.length, 10)
  t.ok(
    fused.every((v, i) => Math.abs(v - (separate[i] as number)) < 1e-4),
    `fused int8 scores ${fused.map((v) => v.toFixed(4))} = head scores ${separate.map((v) => v.toFixed(4))}`,
  )
})
