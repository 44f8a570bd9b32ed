import { createServer } from 'node:net'
import { join } from 'node:path'
import { createTestDatabase, kafkaForTests, type StartedProcess, startNodeProcess, TEST_API_KEYS, uniqueTopicPrefix } from '@attune/kit/testing'
import autocannon from 'autocannon'

/** A TCP port free on loopback right now (for a server started as its own process). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** One autocannon run as a promise. */
export function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))))
}

export interface BenchServer {
  url: string
  databaseUrl: string
  /** Stops the server, drops the database and stops the Kafka peer. */
  stop(): Promise<void>
  process: StartedProcess
}

/**
 * The real profiling server as its own process, on a fresh database and a Kafka peer, with rate
 * limits and docs off; resolves once it is ready.
 */
export async function startProfilingServer(logLevel = 'warn'): Promise<BenchServer> {
  const db = await createTestDatabase()
  const kafka = await kafkaForTests()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = await startNodeProcess(
    join(import.meta.dirname, '..', 'src', 'server.ts'),
    {
      DATABASE_URL: process.env.BENCH_DATABASE_OPTIONS ? `${db.url}?options=${encodeURIComponent(process.env.BENCH_DATABASE_OPTIONS)}` : db.url,
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      ATTUNE_API_KEYS: TEST_API_KEYS,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: logLevel,
      RATE_LIMIT_MAX: '100000000',
      DOCS_ENABLED: 'false',
      DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX ?? '16',
      // e.g. BENCH_NODE_OPTIONS=--cpu-prof to profile the server under load.
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
    async () => (await fetch(`${url}/health/ready`)).status === 200,
  )
  return {
    url,
    databaseUrl: db.url,
    process: server,
    async stop() {
      await server.stop('SIGTERM')
      await db.drop()
      await kafka.stop()
    },
  }
}
