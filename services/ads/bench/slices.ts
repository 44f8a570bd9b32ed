// What the ads benchmarks against a server process share: the pages decisions are asked for, the
// wait for the seeded catalog, and routes taking turns in slices of a few seconds, each slice
// counting the server's CPU and page faults and Postgres's CPU (from /proc) besides autocannon's
// figures. Taking turns lands a change in what else the machine (or its host) is doing on every
// route instead of on one long phase: that swung the ratio by a third from run to run.
import { cpuSeconds, cpuSecondsOfCommand, minorFaults } from '@attune/kit/testing'
import autocannon from 'autocannon'

/** Pages of rotating topics, languages and countries. */
export const pages = [
  { text: 'The football team won the cup match and the coach praised every player in the league', language: 'en', country: 'GB' },
  { text: 'A quick dinner recipe: cooking with wine, coffee and a chef’s baking tips', language: 'en', country: 'FR' },
  { text: 'The election result: parliament and the government debate the new policy vote', language: 'en', country: 'DE' },
  { text: 'Scientists publish climate research: the planet warms, the study of space continues', language: 'en', country: 'GB' },
  { text: 'Cheap flights and a beach hotel for your holiday trip to a new destination', language: 'en', country: 'ES' },
  { text: 'New electric car review: the engine, the hybrid sedan and the driving range', language: 'en', country: 'US' },
  { text: 'The smartphone app and laptop software update brings AI to the cloud', language: 'en', country: 'GB' },
  { text: 'Mortgage rates, savings and tax tips to invest your pension', language: 'en', country: 'FR' },
]

/** Posts decision requests (`body()` each) until every placement gets an ad: the catalog refresh (every 2 s) has loaded the seeded campaigns. */
export async function waitForCatalog(url: string, headers: Record<string, string>, body: () => string, timeoutMs = 30_000): Promise<void> {
  const loadedBy = Date.now() + timeoutMs
  for (;;) {
    const r = await fetch(`${url}/v1/decisions`, { method: 'POST', headers, body: body() })
    const j = (await r.json()) as { placements?: { decision: unknown }[] }
    if (r.status === 200 && j.placements?.every((p) => p.decision)) return
    if (Date.now() > loadedBy) throw new Error(`catalog not loaded: ${r.status} ${JSON.stringify(j)}`)
    await new Promise((res) => setTimeout(res, 200))
  }
}

/** One route's figures, summed over its slices (CPU and faults: null when /proc cannot tell). */
export interface Phase {
  requests: number
  seconds: number
  cpu: number | null
  pg: number | null
  faults: number | null
  p50: number[]
  p99: number[]
  non2xx: number
  errors: number
}

export function newPhase(): Phase {
  return { requests: 0, seconds: 0, cpu: 0, pg: 0, faults: 0, p50: [], p99: [], non2xx: 0, errors: 0 }
}

const add = (to: number | null, from: number | undefined, upto: number | undefined) =>
  to === null || from === undefined || upto === undefined ? null : to + upto - from

/**
 * One slice of load (autocannon with `opts`) on the server `pid`, added to `into`. Its counters
 * are read `settleMs` after the load, so what the server writes behind (the decision log, the
 * outbox relay) counts with the slice that caused it. Returns the slice's requests per second.
 */
export async function runSlice(pid: number, into: Phase, opts: autocannon.Options, settleMs = 300): Promise<number> {
  const cpu0 = cpuSeconds(pid)
  const pg0 = cpuSecondsOfCommand('postgres')
  const faults0 = minorFaults(pid)
  const r = await autocannon(opts)
  await new Promise((res) => setTimeout(res, settleMs))
  into.faults = add(into.faults, faults0, minorFaults(pid))
  into.cpu = add(into.cpu, cpu0, cpuSeconds(pid))
  into.pg = add(into.pg, pg0, cpuSecondsOfCommand('postgres'))
  into.requests += r.requests.total
  into.seconds += r.duration
  into.p50.push(r.latency.p50)
  into.p99.push(r.latency.p99)
  into.non2xx += r.non2xx
  into.errors += r.errors
  return r.requests.total / r.duration
}

/** Requests per second over all of a route's slices. */
export const rate = (p: Phase) => p.requests / p.seconds
/** Seconds of CPU `x` per request, in µs. */
export const perRequest = (p: Phase, x: number | null) => (x === null ? null : Math.round((x * 1e6) / Math.max(1, p.requests)))
/** Count `x` per 1,000 requests. */
export const per1000 = (p: Phase, x: number | null) => (x === null ? null : Math.round((x * 1000) / Math.max(1, p.requests)))
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
