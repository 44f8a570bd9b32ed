import { join } from 'node:path'
import { createTestDatabase, startNodeProcess, TEST_API_KEYS } from '@attune/kit/testing'

/** This service's server (`script`, default this tree's) as its own process on a fresh database, limits out of the way. */
export async function startBenchServer(env: Record<string, string>, script = join(import.meta.dirname, '..', 'src', 'server.ts')) {
  const db = await createTestDatabase()
  const port = 20000 + Math.floor(Math.random() * 20000)
  const url = `http://127.0.0.1:${port}`
  const server = await startNodeProcess(
    script,
    {
      DATABASE_URL: db.url,
      ATTUNE_API_KEYS: TEST_API_KEYS,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000000',
      GENERATION_RATE_LIMIT_PER_MINUTE: '100000000',
      DOCS_ENABLED: 'false',
      // e.g. BENCH_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/generation-prof" to profile the servers.
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
    async () => (await fetch(`${url}/health/ready`)).status === 200,
  )
  return { url, pid: server.child.pid as number, stop: async () => void (await server.stop()), drop: () => db.drop() }
}
