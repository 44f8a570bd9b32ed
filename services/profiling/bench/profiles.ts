// Profiles benchmark: end-to-end ingest with trait computation on (BENCH_USERS users, BENCH_EVENTS
// events through POST /v1/events, each acknowledged batch with its traits applied), then
// GET /v1/profiles/{id} latency under load against the bare GET /health/live, in one run.
import { randomUUID } from 'node:crypto'
import { cpus } from 'node:os'
import { TEST_PUBLIC_KEY, TEST_SECRET_KEY, waitFor } from '@attune/kit/testing'
import autocannon from 'autocannon'
import pg from 'pg'
import { startProfilingServer } from './support.ts'

const users = Number(process.env.BENCH_USERS ?? 100_000)
const total = Number(process.env.BENCH_EVENTS ?? 1_000_000)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16)
const batch = 100
const categories = ['politics', 'sport', 'tech', 'culture', 'science', 'business']
const types = ['view', 'view', 'view', 'click', 'like', 'share'] as const

let sent = 0
function body(): string {
  const events = []
  for (let i = 0; i < batch; i++, sent++) {
    const u = sent % users
    events.push({
      id: randomUUID(),
      type: types[sent % types.length],
      userId: `user-${u}`,
      itemId: `item-${sent % 5000}`,
      properties: { category: categories[(u + (sent % 3 === 0 ? 1 : 0)) % categories.length], author: `author-${sent % 300}` },
      context: { locale: u % 5 === 0 ? 'fr-FR' : 'en-GB' },
    })
  }
  return JSON.stringify({ events })
}

const server = await startProfilingServer(process.env.BENCH_SERVER_LOG_LEVEL)
const { url } = server
const client = new pg.Client({ connectionString: server.databaseUrl })
let exitCode = 0
try {
  await client.connect()
  // Traits are applied in the collector's transaction, so an acknowledged batch is a batch whose
  // traits are current; the check after the load proves every event was counted.
  const started = Date.now()
  const ingest = await autocannon({
    url,
    connections,
    amount: Math.ceil(total / batch),
    requests: [
      {
        method: 'POST',
        path: '/v1/events',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_PUBLIC_KEY}` },
        setupRequest: (r) => ({ ...r, body: body() }),
      },
    ],
  })
  const endToEndMs = Date.now() - started
  if (ingest.non2xx > 0 || ingest.errors > 0) exitCode = 1
  const counted = Number(
    (await client.query(`select coalesce(sum(e.value::int8), 0)::int as n from profiling.profiles p, jsonb_each_text(p.traits) e where left(e.key, 2) = 'd:'`))
      .rows[0].n,
  )
  if (counted !== total) {
    exitCode = 1
    process.stderr.write(`traits count ${counted} events, expected ${total}\n`)
  }
  const relayStarted = Date.now()
  await waitFor(async () => Number((await client.query('select count(*)::int as n from profiling.outbox')).rows[0].n) === 0, {
    timeoutMs: 600_000,
    intervalMs: 100,
    what: 'outbox to drain',
  })
  const relayDrainMs = Date.now() - relayStarted
  const profiles = Number((await client.query('select count(*)::int as n from profiling.profiles')).rows[0].n)

  const auth = { authorization: `Bearer ${TEST_SECRET_KEY}` }
  await autocannon({ url: `${url}/health/live`, connections, duration: 2 })
  const health = await autocannon({ url: `${url}/health/live`, connections, duration: seconds })
  let n = 0
  const read = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', headers: auth, setupRequest: (r) => ({ ...r, path: `/v1/profiles/user-${(n++ * 7919) % users}` }) }],
  })
  if (read.non2xx > 0 || read.errors > 0) exitCode = 1

  const result = {
    users,
    events: total,
    profiles,
    endToEndEventsPerSec: Math.round(total / (endToEndMs / 1000)),
    endToEndSeconds: Number((endToEndMs / 1000).toFixed(1)),
    ingestP50Ms: ingest.latency.p50,
    ingestP99Ms: ingest.latency.p99,
    relayDrainMs,
    healthRps: Math.round(health.requests.average),
    profileRps: Math.round(read.requests.average),
    profileP50Ms: read.latency.p50,
    profileP99Ms: read.latency.p99,
    healthP99Ms: health.latency.p99,
    ratioProfileToHealthRps: Number((read.requests.average / health.requests.average).toFixed(3)),
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  process.stdout.write(
    `${[
      `ingest ${total} events for ${users} users with traits applied: ${result.endToEndEventsPerSec} events/s (${result.endToEndSeconds} s; batch p50 ${result.ingestP50Ms} ms, p99 ${result.ingestP99Ms} ms); outbox drained ${relayDrainMs} ms later`,
      `GET /health/live          ${result.healthRps} req/s (p99 ${result.healthP99Ms} ms)`,
      `GET /v1/profiles/{id}     ${result.profileRps} req/s (p50 ${result.profileP50Ms} ms, p99 ${result.profileP99Ms} ms), ${result.ratioProfileToHealthRps} of health`,
      JSON.stringify(result),
    ].join('\n')}\n`,
  )
} catch (err) {
  exitCode = 1
  process.stderr.write(`bench failed: ${String(err)}\nserver output (last 4 kB):\n${server.process.output().slice(-4096)}\n`)
} finally {
  await client.end().catch(() => {})
  await server.stop()
}
process.exit(exitCode)
