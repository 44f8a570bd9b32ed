// Sentiment benchmark, in one run: texts/s of the analyzer alone (in process), then the real server
// as its own process — GET /health/live rps against POST /v1/sentiment with batches of 100 texts —
// then the quality table of `pnpm eval`. BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 8).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { startServiceProcess, TEST_SECRET_KEY } from '@attune/kit/testing'
import autocannon from 'autocannon'
import { analyze } from '../src/analyzer/analyze.ts'
import { dataDir, loadCommittedModel } from '../src/model-files.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const batch = 100
const texts = readFileSync(join(dataDir, 'dev.tsv'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split('\t')[0] as string)

// 1. The analyzer alone: every dev text, after one warm-up pass.
const model = loadCommittedModel()
for (const t of texts) analyze(model, t)
const started = process.hrtime.bigint()
let rounds = 0
while (Number(process.hrtime.bigint() - started) < 3e9) {
  for (const t of texts) analyze(model, t)
  rounds++
}
const analyzerPerSec = (rounds * texts.length) / (Number(process.hrtime.bigint() - started) / 1e9)

// 2. The HTTP route against the bare health route of the same server.
const server = await startServiceProcess(join(import.meta.dirname, '..', 'src', 'server.ts'))
const url = server.url
let exitCode = 0
try {
  let offset = 0
  const body = () => {
    offset = (offset + batch) % (texts.length - batch)
    return JSON.stringify({ texts: texts.slice(offset, offset + batch) })
  }
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRET_KEY}` }
  const request = { method: 'POST' as const, path: '/v1/sentiment', headers, setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }) }
  await autocannon({ url: `${url}/health/live`, connections, duration: 2 })
  const health = await autocannon({ url: `${url}/health/live`, connections, duration: seconds })
  await autocannon({ url, connections, duration: 2, requests: [request] })
  const scoring = await autocannon({ url, connections, duration: seconds, requests: [request] })
  if (scoring.non2xx > 0 || scoring.errors > 0) exitCode = 1
  const textsPerSec = (scoring['2xx'] * batch) / seconds
  const result = {
    analyzerTextsPerSec: Math.round(analyzerPerSec),
    healthRps: Math.round(health.requests.average),
    sentimentRequestsPerSec: Math.round(scoring.requests.average),
    sentimentTextsPerSec: Math.round(textsPerSec),
    ratioTextsToHealthRps: Number((textsPerSec / health.requests.average).toFixed(3)),
    sentimentP50Ms: scoring.latency.p50,
    sentimentP99Ms: scoring.latency.p99,
    healthP99Ms: health.latency.p99,
    non2xx: scoring.non2xx,
    errors: scoring.errors,
    seconds,
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  process.stdout.write(
    `${[
      `analyzer alone                 ${result.analyzerTextsPerSec} texts/s (one core, GoEmotions dev texts)`,
      `GET /health/live               ${result.healthRps} req/s (p99 ${result.healthP99Ms} ms)`,
      `POST /v1/sentiment (batch 100) ${result.sentimentRequestsPerSec} req/s = ${result.sentimentTextsPerSec} texts/s (p50 ${result.sentimentP50Ms} ms, p99 ${result.sentimentP99Ms} ms)`,
      `texts/s ÷ health rps           ${result.ratioTextsToHealthRps}`,
      JSON.stringify(result),
      '',
    ].join('\n')}\n`,
  )
} catch (err) {
  exitCode = 1
  process.stderr.write(`bench failed: ${String(err)}\n`)
} finally {
  await server.stop()
  await server.drop()
}

// 3. The quality table (GoEmotions dev, against vader-sentiment, sentiment and wink-sentiment).
process.stdout.write(execFileSync(process.execPath, [join(import.meta.dirname, '..', 'src', 'training', 'eval-cli.ts')], { encoding: 'utf8' }))
process.exit(exitCode)
