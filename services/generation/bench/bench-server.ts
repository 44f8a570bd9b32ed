import { join } from 'node:path'
import { startServiceProcess } from '@attune/kit/testing'

/** This service's server (`script`, default this tree's) as its own process on a fresh database, limits out of the way. */
export function startBenchServer(env: Record<string, string>, script = join(import.meta.dirname, '..', 'src', 'server.ts')) {
  return startServiceProcess(script, {
    GENERATION_RATE_LIMIT_PER_MINUTE: '100000000',
    // e.g. BENCH_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/generation-prof" to profile the servers.
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    ...env,
  })
}
