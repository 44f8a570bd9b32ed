// Reads one text per line on stdin, prints one label per line: the polarity (negative|neutral|positive),
// the Ekman emotion with --emotion, or the whole analysis as JSON with --json. Every input line gets
// exactly one output line from the closed label set: a blank line or a text in another language
// (flagged `english: false` in --json, not scored) prints `neutral`.
// Usage: pnpm --filter @attune/sentiment classify [--emotion] [--json] < texts.txt
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { analyze } from '../analyzer/analyze.ts'
import { loadCommittedModel } from '../model-files.ts'

const { values } = parseArgs({ options: { emotion: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } })
const model = loadCommittedModel()
const out: string[] = []
const flush = () => {
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`)
  out.length = 0
}
for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
  if (line.trim() === '') {
    out.push(values.json ? JSON.stringify({ text: line, empty: true }) : 'neutral')
    continue
  }
  const a = analyze(model, line)
  if (values.json) out.push(JSON.stringify({ text: line, ...a }))
  else out.push((values.emotion ? a.emotion?.label : a.polarity?.label) ?? 'neutral')
  if (out.length >= 1000) flush()
}
flush()
