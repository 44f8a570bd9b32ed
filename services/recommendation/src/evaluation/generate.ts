// Writes a seeded synthetic MovieLens-like u.data (`user item rating timestamp`, tab-separated) and,
// with --items, the items' content as JSON lines, for the eval CLI, tests and figures.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatRatings } from './ratings.ts'
import { generateSynthetic } from './synthetic.ts'

const usage = 'usage: generate --out FILE [--users 943] [--items 1682] [--interactions 100000] [--seed 42] [--items-out FILE]'

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      users: { type: 'string', default: '943' },
      items: { type: 'string', default: '1682' },
      interactions: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '42' },
      'items-out': { type: 'string' },
    },
  })
  const [users, items, interactions, seed] = [values.users, values.items, values.interactions, values.seed].map(Number)
  if (!values.out || ![users, items, interactions].every((x) => Number.isInteger(x) && (x as number) > 0) || !Number.isInteger(seed)) {
    process.stderr.write(`${usage}\n`)
    return 2
  }
  const data = generateSynthetic({ users: users as number, items: items as number, interactions: interactions as number, seed: seed as number })
  writeFileSync(values.out, formatRatings(data.ratings))
  if (values['items-out']) writeFileSync(values['items-out'], `${data.items.map((i) => JSON.stringify(i)).join('\n')}\n`)
  process.stdout.write(`wrote ${data.ratings.length} rows to ${values.out}\n`)
  return 0
}

process.exitCode = main(process.argv.slice(2))
