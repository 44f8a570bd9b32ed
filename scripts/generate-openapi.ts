// Writes openapi/<service>.json from the route schemas (no database or broker is contacted);
// with --check, fails when a checked-in file differs from what the code generates.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateSpecs } from './openapi-specs.ts'

const check = process.argv.includes('--check')
const outDir = join(import.meta.dirname, '..', 'openapi')

const specs = await generateSpecs()
let drifted = 0
for (const [name, json] of specs) {
  const file = join(outDir, `${name}.json`)
  if (check) {
    let current = ''
    try {
      current = readFileSync(file, 'utf8')
    } catch {}
    if (current !== json) {
      drifted++
      process.stderr.write(`openapi/${name}.json is out of date: run pnpm openapi\n`)
    }
  } else {
    writeFileSync(file, json)
    process.stdout.write(`wrote openapi/${name}.json\n`)
  }
}
if (drifted > 0) process.exit(1)
