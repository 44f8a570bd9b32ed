// Tracking benchmark, in one run and bounded in time (about 50 s): the real server as its own
// process on real Postgres, seeded as decision-latency.ts seeds it (10,000 running campaigns, 2,000
// users, half with ad-personalization consent) plus 10,000 tombstones of erasures from an hour
// before. Real links come from real POST /v1/decisions answers for three kinds of visitor: a user
// with consent (the hit names the user, checks the tombstones under the erasure lock and keeps a
// per-user impression), a user without (names the user and checks the tombstones), and no user key
// (neither). Then GET /health/live and the tracking routes take turns in slices: impressions of
// each kind, clicks with and without a user, each hit the first on its link (a hit counts once per
// decision and kind), and impressions re-sent (the duplicate path), reported apart.
// BENCH_SECONDS (default 3, per route, in slices of BENCH_SLICE_SECONDS, default 1), BENCH_CONNECTIONS (default 8), BENCH_CAMPAIGNS (default 10000),
// BENCH_SERVER_NODE_OPTIONS (NODE_OPTIONS of the server, e.g. to profile it).
import { cpus } from 'node:os'
import { recordErasedSubjects } from '@attune/kit'
import { TEST_PUBLIC_KEY } from '@attune/kit/testing'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { seedBenchDatabase, startBenchServer } from './bench-server.ts'
import { median, newPhase, type Phase, pages, per1000, perRequest, rate, runSlice, waitForCatalog } from './slices.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const slice = Number(process.env.BENCH_SLICE_SECONDS ?? 1)
if (!(slice >= 1 && seconds >= slice)) throw new Error('BENCH_SLICE_SECONDS must be at least 1 and at most BENCH_SECONDS')
const roundCount = Math.round(seconds / slice)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const campaignCount = Number(process.env.BENCH_CAMPAIGNS ?? 10_000)
const userCount = 2000
/** A browser's: tracking does not count crawlers and scripts. */
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0'

type Visitor = 'consented' | 'unconsented' | 'anonymous'
/** Links of one kind of visitor, handed out once each (a route's cursor never goes back). */
interface Links {
  impressions: string[]
  clicks: string[]
}

const server = await startBenchServer()
const url = server.url
let exitCode = 0
try {
  const { placementIds, seedMs } = await seedBenchDatabase(server, {
    campaigns: campaignCount,
    users: userCount,
    // Other users' erasures, before any of these decisions: the hits' tombstone read finds none since.
    async more(ads, database) {
      const erasedAt = new Date(Date.now() - 3_600_000)
      await ads.transaction().execute((trx) =>
        recordErasedSubjects(
          trx,
          Array.from({ length: 10_000 }, (_, i) => `erased-${i}`),
          erasedAt,
        ),
      )
      // As autovacuum would have by then: the planner knows the tables.
      await sql`analyze`.execute(database.root)
    },
  })

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${TEST_PUBLIC_KEY}` }
  // seedUsers: even users granted ad-personalization consent, odd ones denied it.
  const userKey = (visitor: Visitor, i: number) =>
    visitor === 'anonymous' ? undefined : `user-${((i * 7919) % (userCount / 2)) * 2 + (visitor === 'consented' ? 0 : 1)}`
  const decisionBody = (visitor: Visitor, i: number) =>
    JSON.stringify({
      ...(userKey(visitor, i) ? { userKey: userKey(visitor, i) } : {}),
      placements: placementIds.map((placementId) => ({ placementId })),
      context: { url: `https://news.example.com/article/${i % 500}`, ...pages[i % pages.length] },
    })
  let asked = 0
  await waitForCatalog(url, headers, () => decisionBody('anonymous', asked++))

  /** The links of `requests` real decision answers for `visitor` (3 placements each). */
  const collect = async (visitor: Visitor, requests: number, into: Links = { impressions: [], clicks: [] }) => {
    let personalized = 0
    let failed = 0
    const r = await autocannon({
      url,
      connections,
      amount: requests,
      requests: [
        {
          method: 'POST',
          path: '/v1/decisions',
          headers,
          setupRequest: (req: autocannon.Request) => ({ ...req, body: decisionBody(visitor, asked++) }),
          onResponse: (status: number, body: string) => {
            if (status !== 200) {
              failed++
              return
            }
            const answer = JSON.parse(body) as { personalized: boolean; placements: { decision: { impressionUrl: string; clickUrl: string } | null }[] }
            if (answer.personalized) personalized++
            for (const p of answer.placements) {
              if (!p.decision) continue
              into.impressions.push(p.decision.impressionUrl)
              into.clicks.push(p.decision.clickUrl)
            }
          },
        },
      ],
    })
    if (failed > 0 || r.errors > 0) throw new Error(`${visitor}: ${failed} decisions failed, ${r.errors} errors`)
    if (personalized > 0 !== (visitor === 'consented')) throw new Error(`${visitor}: ${personalized} of ${requests} decisions personalized`)
    return { links: into, rps: r.requests.total / r.duration }
  }

  // Each hit from its own caller (a page view's browser): one caller is a bot past 600 hits a minute.
  let callers = 0
  const caller = () => {
    const n = callers++
    return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
  }
  /** A route's hits on `links`, in order; counts what the server says it counted. */
  const route = (name: string, kind: 'impression' | 'click', links: string[], expectCounted: boolean) => {
    const tally = { name, kind, links: links.length, next: 0, counted: 0, notCounted: 0, bad: 0, reused: 0, expectCounted, phase: newPhase() }
    const request = {
      method: 'GET' as const,
      setupRequest: (req: autocannon.Request) => {
        if (tally.next >= links.length) tally.reused++
        const path = links[tally.next++ % links.length] as string
        return { ...req, path, headers: { 'user-agent': userAgent, 'x-forwarded-for': caller() } }
      },
      onResponse: (status: number, body: string, _context: object, h: autocannon.Request['headers']) => {
        const counted =
          kind === 'impression' ? (status === 200 ? body === '{"counted":true}' : undefined) : status === 302 ? h?.['x-attune-counted'] === 'true' : undefined
        if (counted === undefined) tally.bad++
        else if (counted) tally.counted++
        else tally.notCounted++
      },
    }
    return { tally, opts: { url, connections, duration: slice, requests: [request] } satisfies autocannon.Options }
  }

  // Warm-up: decisions of every kind (their links warm the tracking routes and become the repeats),
  // then each route; the warm-up impressions' rate sizes what to collect.
  const warm: Links = { impressions: [], clicks: [] }
  for (const visitor of ['consented', 'unconsented', 'anonymous'] as const) await collect(visitor, 400, warm)
  await autocannon({ url: `${url}/health/live`, connections, duration: 1 })
  const warmImpressions = route('warm-up impressions', 'impression', warm.impressions, true)
  const warmUp = await autocannon(warmImpressions.opts)
  await autocannon(route('warm-up clicks', 'click', warm.clicks, true).opts)
  const warmRate = warmUp.requests.total / warmUp.duration
  // Three times the warm-up rate (cold: the rounds' is up to twice that) over every slice; a route
  // that runs out re-sends links, reported as a failure.
  const perRoute = Math.ceil((warmRate * 3 * slice * roundCount) / placementIds.length)
  const collectStart = Date.now()
  const links = {
    consented: (await collect('consented', perRoute)).links,
    unconsented: (await collect('unconsented', perRoute)).links,
    anonymous: (await collect('anonymous', perRoute)).links,
  }
  const collectMs = Date.now() - collectStart
  // The decision log writes up to 200 ms behind; clicks sooner than ADS_MIN_CLICK_MS count as bots.
  await new Promise((res) => setTimeout(res, 500))

  const health = { tally: { name: 'GET /health/live', phase: newPhase() }, opts: { url: `${url}/health/live`, connections, duration: slice } }
  const routes = [
    route('impression, user with consent', 'impression', links.consented.impressions, true),
    route('impression, user without consent', 'impression', links.unconsented.impressions, true),
    route('impression, no user key', 'impression', links.anonymous.impressions, true),
    route('click, user with consent', 'click', links.consented.clicks, true),
    route('click, no user key', 'click', links.anonymous.clicks, true),
    // Counted in the warm-up already: every hit here is a repeat.
    route(
      'impression repeat (mixed)',
      'impression',
      warmImpressions.tally.next > 0 ? warm.impressions.slice(0, warmImpressions.tally.next) : warm.impressions,
      false,
    ),
  ]
  const pid = server.pid
  const run = (into: Phase, opts: autocannon.Options) => runSlice(pid, into, opts)
  const ratios = new Map<string, number[]>(routes.map((r) => [r.tally.name, []]))
  // Health first, then each tracking route; the order reverses every other round, so the catalog
  // refresh (every 2 s) and any drift land on all alike.
  for (let round = 0; round < roundCount; round++) {
    const order = [health, ...routes]
    if (round % 2 === 1) order.reverse()
    const rps = new Map<string, number>()
    for (const r of order) rps.set(r.tally.name, await run(r.tally.phase, r.opts))
    const h = rps.get(health.tally.name) ?? 1
    for (const r of routes) ratios.get(r.tally.name)?.push(Number(((rps.get(r.tally.name) ?? 0) / h).toFixed(3)))
  }

  const figures = (p: Phase) => ({
    rps: Math.round(rate(p)),
    p50Ms: median(p.p50),
    p99Ms: Math.max(...p.p99),
    cpuUsPerRequest: perRequest(p, p.cpu),
    postgresCpuUsPerRequest: perRequest(p, p.pg),
    faultsPer1000Requests: per1000(p, p.faults),
  })
  const healthFigures = figures(health.tally.phase)
  const routeFigures = routes.map((r) => ({
    route: r.tally.name,
    firstHits: r.tally.expectCounted,
    ...figures(r.tally.phase),
    ratioToHealth: Number((rate(r.tally.phase) / rate(health.tally.phase)).toFixed(3)),
    ratioPerRound: ratios.get(r.tally.name),
    counted: r.tally.counted,
    notCounted: r.tally.notCounted,
    unexpectedStatus: r.tally.bad,
    linksReused: r.tally.reused,
    links: r.tally.links,
    errors: r.tally.phase.errors,
  }))
  for (const [i, r] of routes.entries()) {
    const f = routeFigures[i]
    // A first-hit route must count every hit on a fresh link; the repeat route none.
    const wrong = r.tally.expectCounted ? r.tally.notCounted + r.tally.reused : r.tally.counted
    if (wrong > 0 || r.tally.bad > 0 || r.tally.phase.errors > 0) {
      exitCode = 1
      process.stderr.write(`${r.tally.name}: ${JSON.stringify(f)}\n`)
    }
  }
  const byName = (name: string) => routeFigures.find((f) => f.route === name)
  const withUser = byName('impression, user without consent')
  const withoutUser = byName('impression, no user key')
  const diff = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? '?' : String(a - b))
  const result = {
    campaigns: campaignCount,
    placementsPerRequest: placementIds.length,
    tombstones: 10_000,
    seedMs,
    collectMs,
    decisionsPerVisitor: perRoute,
    health: healthFigures,
    routes: routeFigures,
    secondsPerRoute: roundCount * slice,
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  const pad = (s: string, n: number) => s.padEnd(n)
  const line = (name: string, f: ReturnType<typeof figures>, extra = '') =>
    `${pad(name, 34)} ${String(f.rps).padStart(6)} req/s  p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms  server ${f.cpuUsPerRequest ?? '?'} µs  Postgres ${f.postgresCpuUsPerRequest ?? '?'} µs${extra}`
  process.stdout.write(
    `${[
      `${campaignCount} running campaigns, ${placementIds.length} placements per decision, 10,000 older tombstones; links of ${perRoute} decisions per kind of visitor (${collectMs} ms)`,
      `${roundCount} rounds of ${slice} s per route, taking turns; p50: the median round's, p99: the worst round's; CPU per request (Postgres: all local postgres processes)`,
      line('GET /health/live', healthFigures),
      ...routeFigures.map((f) =>
        line(
          f.route,
          f,
          `  ÷ health ${f.ratioToHealth}  counted ${f.counted}/${f.counted + f.notCounted}${f.firstHits && f.linksReused ? `, ${f.linksReused} links re-sent` : ''}`,
        ),
      ),
      `the user's tombstone check (impression, user without consent − no user key): server ${diff(withUser?.cpuUsPerRequest, withoutUser?.cpuUsPerRequest)} µs, Postgres ${diff(withUser?.postgresCpuUsPerRequest, withoutUser?.postgresCpuUsPerRequest)} µs, p50 ${diff(withUser?.p50Ms, withoutUser?.p50Ms)} ms per hit`,
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
process.exit(exitCode)
