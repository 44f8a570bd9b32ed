// Rebuilds model/weights.json and model/lexicon.json from data/goemotions and the VADER lexicon.
// Deterministic for a given seed. Usage: pnpm --filter @attune/sentiment train [--dry-run] [--key=value …]
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { decodeModel, encodeWeights, type LexiconFile } from '../analyzer/model.ts'
import { dataDir, modelDir } from '../model-files.ts'
import { evaluateModel } from './evaluate.ts'
import { parseGoEmotions } from './goemotions.ts'
import { macroF1 } from './metrics.ts'
import { SLANG_VALENCE } from './slang.ts'
import { defaultTrainOptions, englishWordList, type TrainOptions, trainHeads, vectorize } from './train.ts'
import { tuneBlend } from './tune-blend.ts'
import { readVaderLexicon } from './vader-lexicon.ts'

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    l2: { type: 'string' },
    power: { type: 'string' },
    bits: { type: 'string' },
    chars: { type: 'string' },
    'char-weight': { type: 'string' },
    seed: { type: 'string' },
  },
})
const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v))
const d = defaultTrainOptions
const options: TrainOptions = {
  features: {
    hashBits: num(values.bits, d.features.hashBits),
    charNgrams: values.chars === undefined ? d.features.charNgrams : values.chars === '' ? [] : values.chars.split(',').map(Number),
    bigrams: d.features.bigrams,
    charWeight: num(values['char-weight'], d.features.charWeight),
  },
  sgd: {
    epochs: num(values.epochs, d.sgd.epochs),
    learningRate: num(values.lr, d.sgd.learningRate),
    l2: num(values.l2, d.sgd.l2),
    seed: num(values.seed, d.sgd.seed),
  },
  classWeightPower: num(values.power, d.classWeightPower),
}

const started = Date.now()
const train = parseGoEmotions(readFileSync(`${dataDir}/train.tsv`, 'utf8'))
const dev = parseGoEmotions(readFileSync(`${dataDir}/dev.tsv`, 'utf8'))
const vader = readVaderLexicon()
for (const [word, valence] of Object.entries(SLANG_VALENCE)) vader.set(word, valence)
const lexiconFile: LexiconFile = {
  format: 'attune-sentiment-lexicon',
  version: 1,
  sources: [
    'valence: VADER lexicon (C.J. Hutto and Eric Gilbert, ICWSM 2014), MIT license, from the vader-sentiment npm package',
    'slang: social-media slang valences written for Attune (src/training/slang.ts), over the VADER entries',
    'englishWords: most frequent words of the GoEmotions train split (Demszky et al. 2020, CC BY 4.0) and the VADER words',
  ],
  valence: Object.fromEntries([...vader.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  englishWords: englishWordList(train, vader, 6000),
}
const xs = vectorize(train, vader, options.features)
const heads = trainHeads(train, xs, options)
const provisional = {
  features: options.features,
  ...heads,
  blend: { polarity: 0, emotion: 0 },
  meta: {
    trainedOn: 'GoEmotions train (43,410 comments)',
    seed: options.sgd.seed,
    command: `pnpm --filter @attune/sentiment train${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    dev: { polarityMacroF1: 0, emotionMacroF1: 0 },
  },
}
// Tune the rule blend and evaluate on the quantized model, as it will be served.
const tuned = tuneBlend(decodeModel(encodeWeights(provisional), lexiconFile), dev)
provisional.blend = tuned.blend
for (const line of tuned.trace) console.log(line)
const quantized = decodeModel(encodeWeights(provisional), lexiconFile)
const ev = evaluateModel(quantized, dev)
const pF1 = macroF1(ev.polarity)
const eF1 = macroF1(ev.emotion)
provisional.meta.dev = { polarityMacroF1: Number(pF1.toFixed(4)), emotionMacroF1: Number(eF1.toFixed(4)) }
console.log(
  JSON.stringify({
    options,
    blend: provisional.blend,
    devPolarityMacroF1: pF1.toFixed(4),
    devEmotionMacroF1: eF1.toFixed(4),
    seconds: (Date.now() - started) / 1000,
  }),
)
console.log(ev.emotion.map((s) => `${s.label}=${s.f1.toFixed(3)}`).join(' '), '|', ev.polarity.map((s) => `${s.label}=${s.f1.toFixed(3)}`).join(' '))
if (!values['dry-run']) {
  writeFileSync(`${modelDir}/weights.json`, `${JSON.stringify(encodeWeights(provisional))}\n`)
  writeFileSync(`${modelDir}/lexicon.json`, `${JSON.stringify(lexiconFile, null, 0)}\n`)
  console.log(`wrote ${modelDir}weights.json and lexicon.json`)
}
