import { createServer } from 'node:net'
import { createTestDatabase } from './postgres.ts'
import { type StartedProcess, startNodeProcess } from './process.ts'
import { TEST_API_KEYS } from './service.ts'

/** A TCP port free on loopback right now (for a server started as its own process). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface ServiceProcess {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The service's database (without `databaseOptions`). */
  databaseUrl: string
  pid: number
  process: StartedProcess
  /** Stops the process (SIGTERM: it writes what it buffered and closes). */
  stop(): Promise<void>
  /** Drops the database (after `stop`). */
  drop(): Promise<void>
}

/**
 * A service's server (`script`, its `src/server.ts`) as its own process for a benchmark: a fresh
 * database, a free loopback port, the test API keys, the rate limit out of the way, docs off,
 * `LOG_LEVEL` warn; `env` adds to or overrides that. `databaseOptions` go to Postgres as the
 * connection's `options` (e.g. `-c synchronous_commit=off`). Resolves once `/health/ready` answers.
 */
export async function startServiceProcess(script: string, env: Record<string, string> = {}, o: { databaseOptions?: string } = {}): Promise<ServiceProcess> {
  const db = await createTestDatabase()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = await startNodeProcess(
    script,
    {
      DATABASE_URL: o.databaseOptions ? `${db.url}?options=${encodeURIComponent(o.databaseOptions)}` : db.url,
      ATTUNE_API_KEYS: TEST_API_KEYS,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000000',
      DOCS_ENABLED: 'false',
      ...env,
    },
    async () => (await fetch(`${url}/health/ready`)).status === 200,
  ).catch(async (err: unknown) => {
    await db.drop()
    throw err
  })
  return {
    url,
    databaseUrl: db.url,
    pid: server.child.pid as number,
    process: server,
    stop: async () => void (await server.stop()),
    drop: () => db.drop(),
  }
}
