// Generation benchmark, in one run and bounded in time:
// 1. the gateway's added latency: the same completion asked of a local OpenAI-compatible server
//    directly through the `openai` SDK and through POST /v1/generate on the real server (its own
//    process, real Postgres: budget, moderation, PII redaction, prompt, usage and the stored
//    output), and, as the floor under any gateway, through a bare node:http proxy with the same SDK
//    (bare-proxy.ts); one request at a time, the three in rotating order; p50/p99 of each and of
//    the differences;
// 2. chatbot turns/s with the offline provider (recommendations from a local HTTP server).
// BENCH_REQUESTS (default 8000 per side, after BENCH_WARMUP rounds, default 1000), BENCH_SECONDS (default 10),
// BENCH_CONNECTIONS (default 8).
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { cpuSecondsOfCommand, minorFaults, startNodeProcess, TEST_SECRET_KEY } from '@attune/kit/testing'
import autocannon from 'autocannon'
import OpenAI from 'openai'
import { keepAliveFetch } from '../src/providers/keep-alive-fetch.ts'
import { startFakeRecommendation } from '../test/support/fake-recommendation.ts'
import { startBenchServer } from './bench-server.ts'

const requests = Number(process.env.BENCH_REQUESTS ?? 8000)
const warmup = Number(process.env.BENCH_WARMUP ?? 1000)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8)
const auth = { authorization: `Bearer ${TEST_SECRET_KEY}` }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
const ms = (ns: bigint) => Number(ns) / 1e6
const round = (x: number) => Number(x.toFixed(3))

const serve = (env: Record<string, string>) => startBenchServer(env)

// The provider runs as its own process, as a real local one would: a direct call then crosses
// processes like the gateway's call to it does (in this process, a direct call was a loopback
// that never waited for another process to be scheduled).
const provider = await startNodeProcess(join(import.meta.dirname, 'fake-provider.ts'), {}, /url=(\S+)/)
const fake = { url: provider.match[1] as string }
const recs = await startFakeRecommendation()
// A bare proxy in front of the same provider: what the extra hop alone adds (see bare-proxy.ts).
const bare = await startNodeProcess(join(import.meta.dirname, 'bare-proxy.ts'), { OPENAI_BASE_URL: fake.url }, /url=(\S+)/)
const bareUrl = bare.match[1] as string
const gateway = await serve({ OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.url, OPENAI_MAX_RETRIES: '0', GENERATION_CACHE_TTL_SECONDS: '0' })
let offline: Awaited<ReturnType<typeof startBenchServer>> | undefined
let exitCode = 0
try {
  // 1. Direct SDK call against gateway call, interleaved so both see the same machine state.
  // Both sides use the same HTTP client the gateway gives its own SDK client (keepAliveFetch), so
  // the difference is the gateway and not two clients: with Node's global fetch (undici) this
  // process kept every request reachable until a full GC and its young-generation collections took
  // 20-45 ms each, landing on whichever request was in flight, and their helper threads took the
  // cores from the server.
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: fake.url, maxRetries: 0, fetch: keepAliveFetch() })
  const toGateway = keepAliveFetch()
  const messages = [
    { role: 'system' as const, content: 'You write social-media posts for a publisher. Output only the post text.\nUse a neutral, clear register.' },
    { role: 'user' as const, content: 'Write a social-media post about: the weekend weather.' },
  ]
  const direct: number[] = []
  const viaBare: number[] = []
  const viaGateway: number[] = []
  let gatewayFailures = 0
  let bareProxyFailures = 0
  const viaSdk = async () => {
    const t0 = process.hrtime.bigint()
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 1, temperature: 0.7, max_tokens: 400 })
    direct.push(ms(process.hrtime.bigint() - t0))
  }
  const viaServer = async (i: number) => {
    const t0 = process.hrtime.bigint()
    const r = await toGateway(`${gateway.url}/v1/generate`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ use: 'post', brief: { topic: `the weekend weather ${i}` } }),
    })
    await r.text()
    viaGateway.push(ms(process.hrtime.bigint() - t0))
    if (r.status !== 200) gatewayFailures++
  }
  const viaBareProxy = async () => {
    const t0 = process.hrtime.bigint()
    const r = await toGateway(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages }) })
    await r.text()
    viaBare.push(ms(process.hrtime.bigint() - t0))
    if (r.status !== 200) bareProxyFailures++
  }
  // The order rotates: whichever goes later shares the machine with what the one before left
  // running (a server finishing its request, the bench's garbage), the same for every side.
  const sides: ((i: number) => Promise<void>)[] = [viaSdk, viaBareProxy, viaServer]
  const once = async (i: number) => {
    for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]?.(i)
  }
  // Warm-up: until the JIT has compiled the hot paths of every process (with 200 pairs, a
  // third of the slowest requests of either side still fell in the first second).
  for (let i = 0; i < warmup; i++) await once(i)
  direct.length = 0
  viaBare.length = 0
  viaGateway.length = 0
  // Besides the latencies: the server's page faults (a large allocation maps fresh pages, ~15 µs
  // each on the VMs measured here) and Postgres's CPU (it shares the cores), per gateway request.
  const faults0 = minorFaults(gateway.pid)
  const pg0 = cpuSecondsOfCommand('postgres')
  for (let i = 0; i < requests; i++) await once(i)
  const faults1 = minorFaults(gateway.pid)
  const pg1 = cpuSecondsOfCommand('postgres')
  const perRequest = (from: number | undefined, to: number | undefined, scale: number) =>
    from === undefined || to === undefined ? null : Number((((to - from) * scale) / requests).toFixed(2))
  if (gatewayFailures + bareProxyFailures > 0) exitCode = 1
  const d = [...direct].sort((a, b) => a - b)
  const g = [...viaGateway].sort((a, b) => a - b)
  const b = [...viaBare].sort((x, y) => x - y)

  // 2. Chatbot turns/s with the offline provider, over several conversations. Its server starts
  // now: while phase 1 ran it would only have added its background polling to the machine.
  // Thousands of turns a run would use up the default daily budget (2M tokens) and turn into 429s.
  offline = await serve({ RECOMMENDATION_URL: recs.url, GENERATION_TOKEN_BUDGET: '1000000000' })
  const chatUrl = offline.url
  const ids: string[] = []
  for (let i = 0; i < connections * 4; i++) {
    const r = await fetch(`${chatUrl}/v1/conversations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: `bench-${i}` }),
    })
    ids.push(((await r.json()) as { conversationId: string }).conversationId)
  }
  let k = 0
  const turn = {
    method: 'POST' as const,
    headers: { ...auth, 'content-type': 'application/json' },
    setupRequest: (req: autocannon.Request) => ({
      ...req,
      path: `/v1/conversations/${ids[k++ % ids.length]}/messages`,
      body: JSON.stringify({ text: 'anything new on climate?' }),
    }),
  }
  const run = (duration: number) => autocannon({ url: chatUrl, connections, duration, requests: [turn] })
  await run(2)
  const chat = await run(seconds)
  if (chat.non2xx > 0 || chat.errors > 0) exitCode = 1

  const result = {
    requests,
    warmup,
    directP50Ms: round(percentile(d, 50)),
    directP99Ms: round(percentile(d, 99)),
    gatewayP50Ms: round(percentile(g, 50)),
    gatewayP99Ms: round(percentile(g, 99)),
    serverFaultsPerRequest: perRequest(faults0, faults1, 1),
    postgresCpuUsPerRequest: perRequest(pg0, pg1, 1e6),
    addedP50Ms: round(percentile(g, 50) - percentile(d, 50)),
    addedP99Ms: round(percentile(g, 99) - percentile(d, 99)),
    bareProxyP50Ms: round(percentile(b, 50)),
    bareProxyP99Ms: round(percentile(b, 99)),
    bareAddedP50Ms: round(percentile(b, 50) - percentile(d, 50)),
    bareAddedP99Ms: round(percentile(b, 99) - percentile(d, 99)),
    gatewayFailures,
    bareProxyFailures,
    chatTurnsPerSec: Math.round(chat.requests.average),
    chatP50Ms: chat.latency.p50,
    chatP99Ms: chat.latency.p99,
    chatNon2xx: chat.non2xx,
    seconds,
    connections,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
  }
  process.stdout.write(
    `${[
      `direct SDK call          p50 ${result.directP50Ms} ms   p99 ${result.directP99Ms} ms   (${requests} requests, one at a time)`,
      `through POST /v1/generate p50 ${result.gatewayP50Ms} ms   p99 ${result.gatewayP99Ms} ms`,
      `added by the gateway      p50 ${result.addedP50Ms} ms   p99 ${result.addedP99Ms} ms   (target p99 <= 2 ms)`,
      `through a bare proxy      p50 ${result.bareProxyP50Ms} ms   p99 ${result.bareProxyP99Ms} ms   (added p50 ${result.bareAddedP50Ms} ms, p99 ${result.bareAddedP99Ms} ms: the hop alone)`,
      `per gateway request       server page faults ${result.serverFaultsPerRequest ?? '?'}, Postgres CPU ${result.postgresCpuUsPerRequest ?? '?'} µs`,
      `chatbot, offline provider ${result.chatTurnsPerSec} turns/s (p50 ${result.chatP50Ms} ms, p99 ${result.chatP99Ms} ms, ${connections} connections, ${seconds} s)`,
      JSON.stringify(result),
    ].join('\n')}\n`,
  )
} finally {
  await gateway.stop()
  await bare.stop()
  await offline?.stop()
  await gateway.drop()
  await offline?.drop()
  await provider.stop()
  await recs.close()
}
process.exit(exitCode)
