// Server CPU per POST /v1/generate of two builds of this service, measured in the same minutes: both
// servers run at once against one local OpenAI-compatible server, each round sends one request to
// each in alternating order, and each server's CPU (all threads from /proc/<pid>/stat, the main
// thread from its schedstat, so Linux only) is read over the same rounds. The machine's noise
// lands on both alike, which one server at a time does not give on a shared machine.
// BENCH_BEFORE: the other build's src/server.ts (e.g. a copy of the tree before a change, sharing
// this workspace's node_modules). BENCH_REQUESTS (default 3000 rounds, after 300 of warm-up).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TEST_SECRET_KEY } from '@attune/kit/testing'
import { startFakeOpenAi } from '../test/support/fake-openai.ts'
import { startBenchServer } from './bench-server.ts'

const before = process.env.BENCH_BEFORE
if (!before) throw new Error('BENCH_BEFORE must name the other build’s src/server.ts')
const rounds = Number(process.env.BENCH_REQUESTS ?? 3000)
const auth = { authorization: `Bearer ${TEST_SECRET_KEY}` }
const round3 = (x: number) => Number(x.toFixed(3))
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

/** Nanoseconds on CPU so far: every thread, and the main one. */
function cpuNs(pid: number): { all: number; main: number } {
  // utime + stime of the process count its threads that have exited too; clock ticks of 10 ms.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  const all = (Number(fields[11]) + Number(fields[12])) * 10_000_000
  const main = Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0])
  return { all, main }
}

const fake = await startFakeOpenAi({ record: false })
fake.answer = (_req, i) => `A short answer about the topic, variant ${i}.`

async function serve(name: string, script: string) {
  const server = await startBenchServer(
    { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.url, OPENAI_MAX_RETRIES: '0', GENERATION_CACHE_TTL_SECONDS: '0' },
    script,
  )
  const { url } = server
  const latencies: number[] = []
  return {
    name,
    pid: server.pid,
    latencies,
    async call(i: number) {
      const t0 = process.hrtime.bigint()
      const r = await fetch(`${url}/v1/generate`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ use: 'post', brief: { topic: `the weekend weather ${i}` } }),
      })
      await r.arrayBuffer()
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
      if (r.status !== 200) throw new Error(`${name}: status ${r.status}`)
    },
    stop: async () => {
      await server.stop()
      await server.drop()
    },
  }
}

const servers = [await serve('before', before), await serve('after', join(import.meta.dirname, '..', 'src', 'server.ts'))] as const
try {
  const round = async (i: number) => {
    const [a, b] = i % 2 === 0 ? servers : ([servers[1], servers[0]] as const)
    await a.call(i)
    await b.call(i)
  }
  for (let i = 0; i < 300; i++) await round(i)
  for (const s of servers) s.latencies.length = 0
  const start = servers.map((s) => cpuNs(s.pid))
  for (let i = 0; i < rounds; i++) await round(i)
  const end = servers.map((s) => cpuNs(s.pid))
  const result: Record<string, number | string> = { rounds, load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '' }
  servers.forEach((s, k) => {
    const sorted = [...s.latencies].sort((x, y) => x - y)
    result[`${s.name}CpuMsPerRequest`] = round3(((end[k]?.all ?? 0) - (start[k]?.all ?? 0)) / 1e6 / rounds)
    result[`${s.name}MainThreadCpuMsPerRequest`] = round3(((end[k]?.main ?? 0) - (start[k]?.main ?? 0)) / 1e6 / rounds)
    result[`${s.name}P50Ms`] = round3(percentile(sorted, 50))
    result[`${s.name}P99Ms`] = round3(percentile(sorted, 99))
  })
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  for (const s of servers) await s.stop()
  await fake.close()
}
process.exit(0)
