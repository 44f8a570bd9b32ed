// Serving benchmark: the real recommendation server as its own process on a fresh Postgres
// database seeded with BENCH_ITEMS items (100k), BENCH_USERS users (10k) and BENCH_INTERACTIONS
// interactions (1M; users with clustered tastes over categories), then the model trained through
// POST /v1/models/train (timed), then in one run: GET /health/live for BENCH_SECONDS; the first
// request of BENCH_COLD_USERS users (cold: state read from Postgres, candidates scored by the
// model); then GET /v1/users/{id}/recommendations?count=20 for the same users for BENCH_SECONDS
// (warm: what a replica keeps between requests, as for returning users), then the same with
// `&include=item` (each item's catalog fields too), after another health run.
import { cpus } from 'node:os'
import { join } from 'node:path'
import { cpuSeconds, startServiceProcess, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from '@attune/kit/testing'
import autocannon from 'autocannon'
import pg from 'pg'

const items = Number(process.env.BENCH_ITEMS ?? 100_000)
const users = Number(process.env.BENCH_USERS ?? 10_000)
const interactions = Number(process.env.BENCH_INTERACTIONS ?? 1_000_000)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const coldUsers = Math.min(users, Number(process.env.BENCH_COLD_USERS ?? 2000))
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test'

const server = await startServiceProcess(
  join(import.meta.dirname, '..', 'src', 'server.ts'),
  {
    MODEL_TRAINING_INTERVAL_MS: '86400000',
    // e.g. BENCH_NODE_OPTIONS=--cpu-prof to profile the server under load.
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  },
  process.env.BENCH_DATABASE_OPTIONS ? { databaseOptions: process.env.BENCH_DATABASE_OPTIONS } : {},
)
const url = server.url
const client = new pg.Client({ connectionString: server.databaseUrl })
let exitCode = 0
try {
  await client.connect()
  let t = Date.now()
  // 50 categories; each user leans on one category (80%) and samples popular items elsewhere.
  await client.query(
    `insert into recommendation.items (item_id, type, title, text, categories, tags, author, language, published_at, hidden, properties, content_hash, created_at, updated_at)
     select 'item-' || g, 'article', 'Story ' || g || ' about topic ' || (g % 50), 'Text of story ' || g || ' on topic ' || (g % 50),
            array['topic-' || (g % 50)], array['tag-' || (g % 200)], 'author-' || (g % 1000), 'en', now() - (g || ' minutes')::interval,
            false, '{}', md5(g::text), now(), now()
     from generate_series(0, $1 - 1) g`,
    [items],
  )
  await client.query(
    `insert into recommendation.user_item_interactions (user_id, item_id, weight, events, views, clicks, negatives, dwell_seconds, first_at, last_at, last_type)
     select distinct on (u, i) 'user-' || u, 'item-' || i, 1 + (k % 3), 1, 1, 0, 0, 0, now() - (k % 10000 || ' seconds')::interval, now() - (k % 10000 || ' seconds')::interval, 'view'
     from (
       select k, k % $2 as u,
              case when k % 5 = 0 then floor(power(random(), 3) * $3)::int
                   else ((k % $2) % 50) + 50 * floor(power(random(), 2) * ($3 / 50))::int end as i
       from generate_series(0, $1 - 1) k
     ) s order by u, i`,
    [interactions, users, items],
  )
  const pairs = Number((await client.query('select count(*)::int as n from recommendation.user_item_interactions')).rows[0].n)
  const seededS = (Date.now() - t) / 1000
  t = Date.now()
  const trained = await fetch(`${url}/v1/models/train`, { method: 'POST', headers: { authorization: `Bearer ${TEST_SECRET_KEY}` } })
  const status = (await trained.json()) as { fitMs: number; totalMs: number; state: string }
  if (trained.status !== 200 || status.state !== 'ready') throw new Error(`training failed: ${JSON.stringify(status)}`)
  const trainS = (Date.now() - t) / 1000

  const auth = { authorization: `Bearer ${TEST_PUBLIC_KEY}` }
  const pid = server.pid
  // Server CPU per request (µs) over one load run.
  const measured = async (run: () => Promise<autocannon.Result>) => {
    const before = cpuSeconds(pid)
    const r = await run()
    const after = cpuSeconds(pid)
    const cpuUs = before === undefined || after === undefined ? null : Math.round(((after - before) * 1e6) / Math.max(1, r.requests.total))
    return Object.assign(r, { cpuUs })
  }
  await autocannon({ url: `${url}/health/live`, connections, duration: 2 })
  const health = await measured(() => autocannon({ url: `${url}/health/live`, connections, duration: seconds }))
  // Users spread over the id space (7919 is prime to the user count), each once while cold.
  const userPath = (n: number) => `/v1/users/user-${((n % coldUsers) * 7919) % users}/recommendations?count=20`
  let c = 0
  const cold = await autocannon({
    url,
    connections,
    amount: coldUsers,
    requests: [{ method: 'GET', headers: auth, setupRequest: (r) => ({ ...r, path: userPath(c++) }) }],
  })
  // The same users, each request built once up front (autocannon cycles through them), so the load
  // generator spends no more per request than on the health route's fixed one.
  const warm = (suffix: string) => Array.from({ length: coldUsers }, (_, i) => ({ method: 'GET' as const, headers: auth, path: `${userPath(i)}${suffix}` }))
  const recs = await measured(() => autocannon({ url, connections, duration: seconds, requests: warm('') }))
  const health2 = await measured(() => autocannon({ url: `${url}/health/live`, connections, duration: seconds }))
  const full = await measured(() => autocannon({ url, connections, duration: seconds, requests: warm('&include=item') }))
  if (recs.non2xx > 0 || recs.errors > 0 || cold.non2xx > 0 || cold.errors > 0 || full.non2xx > 0 || full.errors > 0) exitCode = 1
  const result = {
    items,
    users,
    pairs,
    seededSeconds: seededS,
    trainSeconds: trainS,
    fitSeconds: status.fitMs / 1000,
    healthRps: Math.round(health.requests.average),
    healthCpuUs: health.cpuUs,
    coldUsers,
    coldRps: Math.round(coldUsers / (cold.duration || 1)),
    coldP50Ms: cold.latency.p50,
    coldP99Ms: cold.latency.p99,
    recommendationsRps: Math.round(recs.requests.average),
    recommendationsP50Ms: recs.latency.p50,
    recommendationsP99Ms: recs.latency.p99,
    ratioToHealthRps: Number((recs.requests.average / health.requests.average).toFixed(3)),
    responseBytes: Math.round(recs.throughput.average / recs.requests.average),
    recommendationsCpuUs: recs.cpuUs,
    withItemsCpuUs: full.cpuUs,
    healthCpuUs2: health2.cpuUs,
    healthRps2: Math.round(health2.requests.average),
    withItemsRps: Math.round(full.requests.average),
    withItemsP50Ms: full.latency.p50,
    withItemsP99Ms: full.latency.p99,
    withItemsRatioToHealthRps: Number((full.requests.average / health2.requests.average).toFixed(3)),
    withItemsResponseBytes: Math.round(full.throughput.average / full.requests.average),
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  process.stdout.write(
    `${[
      `${items} items, ${users} users, ${pairs} user-item pairs; default blend trained in ${trainS.toFixed(1)} s (fit ${result.fitSeconds.toFixed(1)} s)`,
      `GET /health/live                            ${result.healthRps} req/s (server CPU ${result.healthCpuUs} µs each)`,
      `  first request of ${coldUsers} users (cold)     ${result.coldRps} req/s (p50 ${result.coldP50Ms} ms, p99 ${result.coldP99Ms} ms)`,
      `GET /v1/users/{id}/recommendations?count=20 ${result.recommendationsRps} req/s (p50 ${result.recommendationsP50Ms} ms, p99 ${result.recommendationsP99Ms} ms), ${result.ratioToHealthRps} of health (warm, ~${result.responseBytes} B, server CPU ${result.recommendationsCpuUs} µs each)`,
      `GET /health/live (again)                    ${result.healthRps2} req/s (server CPU ${result.healthCpuUs2} µs each)`,
      `  …&include=item                            ${result.withItemsRps} req/s (p50 ${result.withItemsP50Ms} ms, p99 ${result.withItemsP99Ms} ms), ${result.withItemsRatioToHealthRps} of health (warm, ~${result.withItemsResponseBytes} B, server CPU ${result.withItemsCpuUs} µs each)`,
      JSON.stringify(result),
    ].join('\n')}\n`,
  )
} catch (err) {
  exitCode = 1
  process.stderr.write(`bench failed: ${String(err)}\nserver output (last 4 kB):\n${server.process.output().slice(-4096)}\n`)
} finally {
  await client.end().catch(() => {})
  await server.stop()
  await server.drop()
}
process.exit(exitCode)
