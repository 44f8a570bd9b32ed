// Training and latency benchmark for the recommender library at service scale: a synthetic set of
// BENCH_ITEMS items (100k), BENCH_USERS users (10k) and BENCH_INTERACTIONS interactions (1M); prints
// the fit time of each recommender and recommend() latency p50/p99 for ~100-item histories, k = 20.
import { cpus } from 'node:os'
import { toInteractions } from '../src/evaluation/ratings.ts'
import { generateSynthetic } from '../src/evaluation/synthetic.ts'
import { fitAls } from '../src/recommenders/als-recommender.ts'
import { blend } from '../src/recommenders/blend-recommender.ts'
import { fitContent } from '../src/recommenders/content-recommender.ts'
import { fitEase } from '../src/recommenders/ease-recommender.ts'
import { historyOfRow } from '../src/recommenders/history.ts'
import { fitPopularity } from '../src/recommenders/popularity-recommender.ts'
import { fitSar } from '../src/recommenders/sar-recommender.ts'
import { recommend } from '../src/recommenders/scoring.ts'
import { buildTrainingData } from '../src/recommenders/training-data.ts'
import type { History, Recommender } from '../src/recommenders/types.ts'

const items = Number(process.env.BENCH_ITEMS ?? 100_000)
const users = Number(process.env.BENCH_USERS ?? 10_000)
const interactions = Number(process.env.BENCH_INTERACTIONS ?? 1_000_000)
const factors = Number(process.env.BENCH_FACTORS ?? 64)
const alsIterations = Number(process.env.BENCH_ALS_ITERATIONS ?? 10)
const requests = Number(process.env.BENCH_REQUESTS ?? 300)
const only = (process.env.BENCH_ONLY ?? 'popularity,sar,content,als,ease,blend').split(',')

const out = (s: string) => process.stdout.write(`${s}\n`)
out(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, node ${process.version}`)
let t = performance.now()
const synthetic = generateSynthetic({ users, items, interactions, seed: 42, clusters: 50 })
out(`generated ${synthetic.ratings.length} interactions in ${((performance.now() - t) / 1000).toFixed(1)} s`)
t = performance.now()
const data = buildTrainingData(toInteractions(synthetic.ratings, 'rating'), { items: synthetic.items })
out(
  `training data: ${data.userIds.length} users × ${data.itemIds.length} items, ${data.byUser.indices.length} pairs, built in ${((performance.now() - t) / 1000).toFixed(1)} s`,
)

// Histories of about 100 items: users with ≥ 80 pairs, cut to their latest 100.
const histories: History[] = []
for (let u = 0; u < data.userIds.length && histories.length < 200; u++) {
  const h = historyOfRow(data.byUser, u)
  if (h.items.length < 80) continue
  const keep = Array.from(h.items.keys())
    .sort((a, b) => (h.times[b] as number) - (h.times[a] as number))
    .slice(0, 100)
  histories.push({
    items: Int32Array.from(keep, (i) => h.items[i] as number),
    weights: Float32Array.from(keep, (i) => h.weights[i] as number),
    times: Float64Array.from(keep, (i) => h.times[i] as number),
  })
}
const meanLength = histories.reduce((s, h) => s + h.items.length, 0) / Math.max(1, histories.length)
out(`latency histories: ${histories.length}, mean length ${meanLength.toFixed(0)}; k = 20, ${requests} requests each after 20 warm-up\n`)

function latency(model: Recommender): { p50: number; p99: number } {
  for (let i = 0; i < 20; i++) recommend(model, histories[i % histories.length] as History, { k: 20 })
  const times: number[] = []
  for (let i = 0; i < requests; i++) {
    const h = histories[i % histories.length] as History
    const s = performance.now()
    recommend(model, h, { k: 20 })
    times.push(performance.now() - s)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(times.length * 0.5)] as number, p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] as number }
}

const fitted = new Map<string, Recommender>()
const row = (name: string, fitSeconds: number, l: { p50: number; p99: number }) =>
  out(
    `${name.padEnd(12)} fit ${fitSeconds.toFixed(1).padStart(7)} s   recommend p50 ${l.p50.toFixed(3).padStart(7)} ms   p99 ${l.p99.toFixed(3).padStart(7)} ms`,
  )
const fits: Record<string, () => Recommender> = {
  popularity: () => fitPopularity(data),
  sar: () => fitSar(data, { neighbours: 100 }),
  content: () => fitContent(data),
  als: () => fitAls(data, { factors, iterations: alsIterations }),
  ease: () => fitEase(data, { maxItems: 2000 }),
}
for (const name of Object.keys(fits)) {
  if (!only.includes(name) && !(name !== 'popularity' && only.includes('blend'))) continue
  const s = performance.now()
  const model = (fits[name] as () => Recommender)()
  const seconds = (performance.now() - s) / 1000
  fitted.set(name, model)
  row(name, seconds, latency(model))
}
if (only.includes('blend')) {
  const parts = [
    ['als', 1],
    ['ease', 0.5],
    ['sar', 0.1],
    ['content', 0.02],
  ] as const
  const model = blend(parts.filter(([n]) => fitted.has(n)).map(([n, weight]) => ({ model: fitted.get(n) as Recommender, weight })))
  row('blend', 0, latency(model))
}
