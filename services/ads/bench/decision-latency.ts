// Ads benchmark, in one run and bounded in time: the real server as its own process on real
// Postgres with 10,000 running campaigns (one ad each, three formats), GET /health/live against
// POST /v1/decisions for 3 placements per request (rotating pages and 2,000 users, half with
// ad-personalization consent). Then the simulation (bandit vs baselines, pacing).
// BENCH_SECONDS (default 10, per route, in slices of BENCH_SLICE_SECONDS, default 2), BENCH_CONNECTIONS (default 8), BENCH_CAMPAIGNS (default 10000),
// BENCH_SERVER_NODE_OPTIONS (NODE_OPTIONS of the server, e.g. to profile it).
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { TEST_PUBLIC_KEY } from '@attune/kit/testing'
import autocannon from 'autocannon'
import { seedBenchDatabase, startBenchServer } from './bench-server.ts'
import { median, newPhase, type Phase, pages, per1000, perRequest, rate, runSlice, waitForCatalog } from './slices.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const slice = Number(process.env.BENCH_SLICE_SECONDS ?? 2)
if (!(slice >= 1 && seconds >= slice)) throw new Error('BENCH_SLICE_SECONDS must be at least 1 and at most BENCH_SECONDS')
const roundCount = Math.round(seconds / slice)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const campaignCount = Number(process.env.BENCH_CAMPAIGNS ?? 10_000)

const server = await startBenchServer()
const url = server.url
let exitCode = 0
try {
  const { placementIds, seedMs } = await seedBenchDatabase(server, { campaigns: campaignCount, users: 2000 })
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
  await waitForCatalog(url, headers, body)
  const request = { method: 'POST' as const, path: '/v1/decisions', headers, setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }) }
  await autocannon({ url: `${url}/health/live`, connections, duration: 2 })
  await autocannon({ url, connections, duration: 3, requests: [request] })
  // The two routes take turns in slices (see slices.ts). Besides requests per second, the server's
  // CPU time per request (steadier when the load generator and other work share the cores) and
  // that of Postgres, when on this machine, which shares them too.
  const pid = server.pid
  const health = newPhase()
  const decisions = newPhase()
  const rounds: number[] = []
  // The decision log writes up to 200 ms behind: counted with the slice that logged it (300 ms).
  const run = (into: Phase, opts: autocannon.Options) => runSlice(pid, into, { connections, duration: slice, ...opts })
  const healthSlice = () => run(health, { url: `${url}/health/live` })
  const decisionSlice = () => run(decisions, { url, requests: [request] })
  // Which route goes first alternates (the catalog refresh every 2 s then lands on both alike).
  for (let round = 0; round < roundCount; round++) {
    let h: number
    let d: number
    if (round % 2 === 0) {
      h = await healthSlice()
      d = await decisionSlice()
    } else {
      d = await decisionSlice()
      h = await healthSlice()
    }
    rounds.push(Number((d / h).toFixed(3)))
  }
  if (decisions.non2xx > 0 || decisions.errors > 0) exitCode = 1
  const result = {
    campaigns: campaignCount,
    placementsPerRequest: placementIds.length,
    seedMs,
    healthRps: Math.round(rate(health)),
    healthP50Ms: median(health.p50),
    healthP99Ms: Math.max(...health.p99),
    decisionRps: Math.round(rate(decisions)),
    decisionP50Ms: median(decisions.p50),
    decisionP99Ms: Math.max(...decisions.p99),
    ratioToHealth: Number((rate(decisions) / rate(health)).toFixed(3)),
    ratioPerRound: rounds,
    healthCpuUsPerRequest: perRequest(health, health.cpu),
    decisionCpuUsPerRequest: perRequest(decisions, decisions.cpu),
    healthPostgresCpuUsPerRequest: perRequest(health, health.pg),
    decisionPostgresCpuUsPerRequest: perRequest(decisions, decisions.pg),
    healthFaultsPer1000Requests: per1000(health, health.faults),
    decisionFaultsPer1000Requests: per1000(decisions, decisions.faults),
    non2xx: decisions.non2xx,
    errors: decisions.errors,
    secondsPerRoute: roundCount * slice,
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  process.stdout.write(
    `${[
      `${campaignCount} running campaigns, ${placementIds.length} placements per request`,
      `${rounds.length} rounds of ${slice} s per route, taking turns; p50: the median round's, p99: the worst round's`,
      `GET /health/live      ${result.healthRps} req/s (p50 ${result.healthP50Ms} ms, p99 ${result.healthP99Ms} ms)`,
      `POST /v1/decisions    ${result.decisionRps} req/s (p50 ${result.decisionP50Ms} ms, p99 ${result.decisionP99Ms} ms)`,
      `decisions ÷ health    ${result.ratioToHealth} (target ≥ 0.3; p99 target ≤ 15 ms); per round ${rounds.join(', ')}`,
      `server CPU/request    health ${result.healthCpuUsPerRequest ?? '?'} µs, decisions ${result.decisionCpuUsPerRequest ?? '?'} µs`,
      `Postgres CPU/request  health ${result.healthPostgresCpuUsPerRequest ?? '?'} µs, decisions ${result.decisionPostgresCpuUsPerRequest ?? '?'} µs (all local postgres processes)`,
      `server page faults    health ${result.healthFaultsPer1000Requests ?? '?'}, decisions ${result.decisionFaultsPer1000Requests ?? '?'} per 1000 requests`,
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
