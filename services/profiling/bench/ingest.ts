// Ingest benchmark: events/s through POST /v1/events (batches of 100, stored in Postgres, relayed
// to Kafka by the outbox) against the same server's bare GET /health/live rps, in one run.
// The server is the real profiling process; autocannon runs here, on loopback, bounded in time.
import { randomUUID } from 'node:crypto'
import { cpus } from 'node:os'
import { cpuSeconds, cpuSecondsOfCommand, minorFaults, TEST_PUBLIC_KEY, waitFor } from '@attune/kit/testing'
import autocannon from 'autocannon'
import pg from 'pg'
import { startProfilingServer } from './support.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16)
const batch = 100

function body(): string {
  const events = []
  for (let i = 0; i < batch; i++) {
    const user = `user-${Math.floor(Math.random() * 100_000)}`
    events.push(
      i % 10 === 0
        ? { id: randomUUID(), type: 'dwell', userId: user, itemId: `item-${i}`, seconds: 42 }
        : { id: randomUUID(), type: 'view', userId: user, itemId: `item-${i}` },
    )
  }
  return JSON.stringify({ events })
}

const server = await startProfilingServer()
const { url } = server
const client = new pg.Client({ connectionString: server.databaseUrl })
let exitCode = 0
try {
  await client.connect()

  await autocannon({ url: `${url}/health/live`, connections, duration: 2 })
  const health = await autocannon({ url: `${url}/health/live`, connections, duration: seconds })

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${TEST_PUBLIC_KEY}` }
  const request = { method: 'POST' as const, path: '/v1/events', headers, setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }) }
  const warm = await autocannon({ url, connections, duration: 2, requests: [request] })
  // Besides the rates, per request of the measured phase: the server's CPU and minor page faults
  // (a string or buffer over 128 KB maps fresh pages, ~15 µs a fault on the VMs measured here),
  // and the CPU of every local Postgres process (they share the cores).
  const pid = server.process.child.pid
  const cpu0 = cpuSeconds(pid)
  const faults0 = minorFaults(pid)
  const pg0 = cpuSecondsOfCommand('postgres')
  const ingest = await autocannon({ url, connections, duration: seconds, requests: [request] })
  const loadEnded = Date.now()
  const perRequest = (from: number | undefined, to: number | undefined, scale: number) =>
    from === undefined || to === undefined ? null : Math.round(((to - from) * scale) / Math.max(1, ingest.requests.total))
  const serverCpuUsPerRequest = perRequest(cpu0, cpuSeconds(pid), 1e6)
  const serverFaultsPerRequest = perRequest(faults0, minorFaults(pid), 1)
  const postgresCpuUsPerRequest = perRequest(pg0, cpuSecondsOfCommand('postgres'), 1e6)

  const ok = ingest.non2xx === 0 && ingest.errors === 0 && warm.non2xx === 0
  if (!ok) exitCode = 1
  const accepted = (warm['2xx'] + ingest['2xx']) * batch
  await waitFor(async () => (await client.query('select count(*)::int as n from profiling.outbox')).rows[0].n === 0, {
    timeoutMs: 300_000,
    intervalMs: 50,
    what: 'outbox to drain',
  })
  const drainMs = Date.now() - loadEnded
  const stored = (await client.query('select count(*)::int as n from profiling.events')).rows[0].n as number

  const eventsPerSec = (ingest['2xx'] * batch) / seconds
  const result = {
    healthRps: Math.round(health.requests.average),
    eventsPerSec: Math.round(eventsPerSec),
    requestsPerSec: Math.round(ingest.requests.average),
    ratioEventsToHealthRps: Number((eventsPerSec / health.requests.average).toFixed(3)),
    ingestP50Ms: ingest.latency.p50,
    ingestP99Ms: ingest.latency.p99,
    healthP99Ms: health.latency.p99,
    relayDrainMs: drainMs,
    serverCpuUsPerRequest,
    serverFaultsPerRequest,
    postgresCpuUsPerRequest,
    stored,
    accepted,
    non2xx: ingest.non2xx + warm.non2xx,
    errors: ingest.errors,
    seconds,
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  // Requests still in flight when autocannon stops are stored but not counted by it.
  if (stored < accepted) exitCode = 1
  process.stdout.write(
    `${[
      `GET /health/live            ${result.healthRps} req/s (p99 ${result.healthP99Ms} ms)`,
      `POST /v1/events (batch 100) ${result.requestsPerSec} req/s = ${result.eventsPerSec} events/s (p50 ${result.ingestP50Ms} ms, p99 ${result.ingestP99Ms} ms)`,
      `events/s ÷ health rps       ${result.ratioEventsToHealthRps}`,
      `per ingest request          server CPU ${serverCpuUsPerRequest ?? '?'} µs, page faults ${serverFaultsPerRequest ?? '?'}, Postgres CPU ${postgresCpuUsPerRequest ?? '?'} µs (the outbox relay's during the load included)`,
      `stored in Postgres          ${stored} (${accepted} acknowledged while measuring); outbox relayed to Kafka ${drainMs} ms after the load ended`,
      JSON.stringify(result),
    ].join('\n')}\n`,
  )
} catch (err) {
  exitCode = 1
  process.stderr.write(`bench failed: ${String(err)}\n`)
} finally {
  await client.end().catch(() => {})
  await server.stop()
}
process.exit(exitCode)
