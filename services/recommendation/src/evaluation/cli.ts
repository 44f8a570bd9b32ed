// Offline evaluation on the MS Recommenders protocol: read u.data (or generate a synthetic set),
// split each user's rows 75/25 with a seed, fit, recommend k per test user with their training
// items removed, and print precision, recall, nDCG, MAP, coverage and Gini per recommender.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { buildTrainingData } from '../recommenders/training-data.ts'
import type { ItemContent } from '../recommenders/types.ts'
import { evaluate } from './evaluate.ts'
import { fitterNames, fitters } from './fitters.ts'
import { parseRatings, type Rating, toInteractions, type WeightScheme } from './ratings.ts'
import { stratifiedSplit } from './split.ts'
import { generateSynthetic } from './synthetic.ts'

const usage = `usage: eval (--data FILE | --synthetic USERS,ITEMS,INTERACTIONS) [--recommender ${fitterNames.join('|')}|all]
            [--k 10] [--seed 42] [--ratio 0.75] [--weights rating|binary|centered]`

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      synthetic: { type: 'string' },
      recommender: { type: 'string', default: 'all' },
      k: { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      ratio: { type: 'string', default: '0.75' },
      weights: { type: 'string', default: 'rating' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  })
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  const k = Number(values.k)
  const seed = Number(values.seed)
  const ratio = Number(values.ratio)
  const scheme = values.weights as WeightScheme
  if (!Number.isInteger(k) || k < 1 || !Number.isInteger(seed) || !(ratio > 0 && ratio < 1) || !['rating', 'binary', 'centered'].includes(scheme)) {
    process.stderr.write(`${usage}\n`)
    return 2
  }
  const names = values.recommender === 'all' ? fitterNames : (values.recommender ?? '').split(',')
  const unknown = names.filter((n) => !(n in fitters))
  if (unknown.length > 0) {
    process.stderr.write(`unknown recommender ${unknown.join(', ')}\n${usage}\n`)
    return 2
  }
  let ratings: Rating[]
  let items: ItemContent[] = []
  let source: string
  if (values.synthetic) {
    const [users, nItems, interactions] = values.synthetic.split(',').map(Number)
    if (![users, nItems, interactions].every((x) => Number.isInteger(x) && (x as number) > 0)) {
      process.stderr.write(`--synthetic wants USERS,ITEMS,INTERACTIONS\n${usage}\n`)
      return 2
    }
    const data = generateSynthetic({ users: users as number, items: nItems as number, interactions: interactions as number, seed })
    ratings = data.ratings
    items = data.items
    source = `synthetic ${values.synthetic} (seed ${seed})`
  } else if (values.data) {
    ratings = parseRatings(readFileSync(values.data, 'utf8'))
    source = values.data
  } else {
    process.stderr.write(`${usage}\n`)
    return 2
  }
  const { train, test } = stratifiedSplit(ratings, ratio, seed)
  const data = buildTrainingData(toInteractions(train, scheme), { items })
  process.stdout.write(
    `data: ${source}: ${ratings.length} rows, ${new Set(ratings.map((r) => r.user)).size} users, ${data.itemIds.length} items; ` +
      `train ${train.length} / test ${test.length} (ratio ${ratio}, seed ${seed}, weights ${scheme}), k=${k}\n\n`,
  )
  const header = ['recommender', 'precision@k', 'recall@k', 'ndcg@k', 'map@k', 'map(legacy)', 'coverage', 'gini', 'fit s', 'eval s']
  const rows: string[][] = []
  for (const name of names) {
    const fit = fitters[name] as (typeof fitters)[string]
    const t0 = performance.now()
    const model = fit(data, seed)
    const t1 = performance.now()
    const r = evaluate(model, data, test, k)
    const t2 = performance.now()
    const f = (x: number) => x.toFixed(4)
    rows.push([
      name,
      f(r.precision),
      f(r.recall),
      f(r.ndcg),
      f(r.map),
      f(r.mapLegacy),
      f(r.coverage),
      f(r.gini),
      ((t1 - t0) / 1000).toFixed(2),
      ((t2 - t1) / 1000).toFixed(2),
    ])
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)))
  const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c] as number) : x.padStart(widths[c] as number))).join('  ')
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`)
  return 0
}

process.exitCode = main(process.argv.slice(2))
