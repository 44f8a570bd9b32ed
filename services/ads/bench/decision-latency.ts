// Ads benchmark, in one run and bounded in time: the real server as its own process on real
// Postgres with 10,000 running campaigns (one ad each, three formats), GET /health/live against
// POST /v1/decisions for 3 placements per request (rotating pages and 2,000 users, half with
// ad-personalization consent). Then the simulation (bandit vs baselines, pacing).
// BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 8), BENCH_CAMPAIGNS (default 10000),
// BENCH_SERVER_NODE_OPTIONS (NODE_OPTIONS of the server, e.g. to profile it).
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { openDatabase, schemaView } from '@attune/kit'
import { cpuSeconds, cpuSecondsOfCommand, startServiceProcess, TEST_PUBLIC_KEY } from '@attune/kit/testing'
import type autocannon from 'autocannon'
import type { AdsDb } from '../src/db.ts'
import { seededRng } from '../src/domain/random.ts'
import { seedCatalog, seedUsers } from './seed.ts'
import { load } from './support.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const campaignCount = Number(process.env.BENCH_CAMPAIGNS ?? 10_000)

const pages = [
  { text: 'The football team won the cup match and the coach praised every player in the league', language: 'en', country: 'GB' },
  { text: 'A quick dinner recipe: cooking with wine, coffee and a chef’s baking tips', language: 'en', country: 'FR' },
  { text: 'The election result: parliament and the government debate the new policy vote', language: 'en', country: 'DE' },
  { text: 'Scientists publish climate research: the planet warms, the study of space continues', language: 'en', country: 'GB' },
  { text: 'Cheap flights and a beach hotel for your holiday trip to a new destination', language: 'en', country: 'ES' },
  { text: 'New electric car review: the engine, the hybrid sedan and the driving range', language: 'en', country: 'US' },
  { text: 'The smartphone app and laptop software update brings AI to the cloud', language: 'en', country: 'GB' },
  { text: 'Mortgage rates, savings and tax tips to invest your pension', language: 'en', country: 'FR' },
]

const server = await startServiceProcess(
  join(import.meta.dirname, '..', 'src', 'server.ts'),
  // e.g. `--cpu-prof --cpu-prof-dir=/tmp/ads-prof` to profile the server under load.
  process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {},
)
const url = server.url
let exitCode = 0
try {
  const database = await openDatabase(server.databaseUrl, { poolMax: 2 })
  const adsDb = schemaView<AdsDb>(database, 'ads')
  const rng = seededRng(1)
  const segments = Array.from({ length: 20 }, () => randomUUID())
  const seedStart = Date.now()
  const placementIds = await seedCatalog(adsDb, campaignCount, rng, segments)
  await seedUsers(adsDb, 2000, rng, segments)
  await database.close()
  const seedMs = Date.now() - seedStart
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${TEST_PUBLIC_KEY}` }
  let i = 0
  const body = () => {
    i++
    return JSON.stringify({
      userKey: `user-${(i * 7919) % 2000}`,
      placements: placementIds.map((placementId) => ({ placementId })),
      context: { url: `https://news.example.com/article/${i % 500}`, ...pages[i % pages.length] },
    })
  }
  // Wait until the catalog refresh (every 2 s) has loaded the seeded campaigns.
  const loadedBy = Date.now() + 30_000
  for (;;) {
    const r = await fetch(`${url}/v1/decisions`, { method: 'POST', headers, body: body() })
    const j = (await r.json()) as { placements?: { decision: unknown }[] }
    if (r.status === 200 && j.placements?.every((p) => p.decision)) break
    if (Date.now() > loadedBy) throw new Error(`catalog not loaded: ${r.status} ${JSON.stringify(j)}`)
    await new Promise((res) => setTimeout(res, 200))
  }
  const request = { method: 'POST' as const, path: '/v1/decisions', headers, setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }) }
  await load({ url: `${url}/health/live`, connections, duration: 2 })
  // The server's CPU time per request: steadier than requests per second when the load generator
  // and other work share the machine's cores.
  const pid = server.pid
  // Postgres (when on this machine) shares the cores too: what it spends per request is reported beside.
  const cpuBefore = cpuSeconds(pid)
  const pgBefore = cpuSecondsOfCommand('postgres')
  const health = await load({ url: `${url}/health/live`, connections, duration: seconds })
  const cpuHealth = cpuSeconds(pid)
  const pgHealth = cpuSecondsOfCommand('postgres')
  await load({ url, connections, duration: 3, requests: [request] })
  const cpuWarm = cpuSeconds(pid)
  const pgWarm = cpuSecondsOfCommand('postgres')
  const decisions = await load({ url, connections, duration: seconds, requests: [request] })
  const cpuAfter = cpuSeconds(pid)
  const pgAfter = cpuSecondsOfCommand('postgres')
  const perRequest = (from: number | undefined, to: number | undefined, r: autocannon.Result) =>
    from === undefined || to === undefined ? null : Math.round(((to - from) * 1e6) / Math.max(1, r.requests.total))
  if (decisions.non2xx > 0 || decisions.errors > 0) exitCode = 1
  const result = {
    campaigns: campaignCount,
    placementsPerRequest: placementIds.length,
    seedMs,
    healthRps: Math.round(health.requests.average),
    healthP50Ms: health.latency.p50,
    healthP99Ms: health.latency.p99,
    decisionRps: Math.round(decisions.requests.average),
    decisionP50Ms: decisions.latency.p50,
    decisionP99Ms: decisions.latency.p99,
    ratioToHealth: Number((decisions.requests.average / health.requests.average).toFixed(3)),
    healthCpuUsPerRequest: perRequest(cpuBefore, cpuHealth, health),
    decisionCpuUsPerRequest: perRequest(cpuWarm, cpuAfter, decisions),
    healthPostgresCpuUsPerRequest: perRequest(pgBefore, pgHealth, health),
    decisionPostgresCpuUsPerRequest: perRequest(pgWarm, pgAfter, decisions),
    non2xx: decisions.non2xx,
    errors: decisions.errors,
    seconds,
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  process.stdout.write(
    `${[
      `${campaignCount} running campaigns, ${placementIds.length} placements per request`,
      `GET /health/live      ${result.healthRps} req/s (p50 ${result.healthP50Ms} ms, p99 ${result.healthP99Ms} ms)`,
      `POST /v1/decisions    ${result.decisionRps} req/s (p50 ${result.decisionP50Ms} ms, p99 ${result.decisionP99Ms} ms)`,
      `decisions ÷ health    ${result.ratioToHealth} (target ≥ 0.3; p99 target ≤ 15 ms)`,
      `server CPU/request    health ${result.healthCpuUsPerRequest ?? '?'} µs, decisions ${result.decisionCpuUsPerRequest ?? '?'} µs`,
      `Postgres CPU/request  health ${result.healthPostgresCpuUsPerRequest ?? '?'} µs, decisions ${result.decisionPostgresCpuUsPerRequest ?? '?'} µs (all local postgres processes)`,
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

process.stdout.write(execFileSync(process.execPath, [join(import.meta.dirname, '..', 'src', 'cli', 'simulate.ts')], { encoding: 'utf8' }))
process.exit(exitCode)
