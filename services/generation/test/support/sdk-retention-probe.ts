// Run by test/providers/openai-sdk-retention.test.ts in a process of its own with a fixed
// young-generation size (see there): SDK calls against the fake provider in
// this process, and the bytes the young-generation collections promote to the old generation per
// call, in windows that start after a full collection and have no old-generation work in them.
// Prints JSON: the least bytes a call over the windows, the scavenges and the windows counted.
import { GCProfiler, type GCProfilerResult } from 'node:v8'
import OpenAI from 'openai'
import { keepAliveFetch } from '../../src/providers/keep-alive-fetch.ts'
import { startFakeOpenAi } from './fake-openai.ts'

const calls = Number(process.argv[2] ?? 3000)
const enough = Number(process.argv[3] ?? 500)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const fake = await startFakeOpenAi({ record: false })
const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, fetch: keepAliveFetch() })
const complete = () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
type Stats = GCProfilerResult['statistics'][number]
const oldSpace = (s: Stats['beforeGC']) => s.heapSpaceStatistics.find((x) => x.spaceName === 'old_space')?.spaceUsedSize ?? 0

for (let i = 0; i < 500; i++) await complete()
let best: { perCall: number; scavenges: number } | undefined
let windows = 0
for (let attempt = 0; attempt < 8 && !(best && best.perCall < enough); attempt++) {
  gc()
  const profiler = new GCProfiler()
  profiler.start()
  for (let i = 0; i < calls; i++) await complete()
  const stats = profiler.stop().statistics
  // While V8 marks the old generation, a scavenge may promote what it would otherwise keep young.
  if (stats.some((s) => s.gcType !== 'Scavenge')) continue
  windows++
  const perCall = stats.reduce((sum, s) => sum + oldSpace(s.afterGC) - oldSpace(s.beforeGC), 0) / calls
  if (!best || perCall < best.perCall) best = { perCall, scavenges: stats.length }
}
await fake.close()
process.stdout.write(`${JSON.stringify(best ? { ...best, windows } : null)}\n`)
process.exit(0)
