import { join } from 'node:path'
import { kafkaForTests, type StartedProcess, startServiceProcess, uniqueTopicPrefix } from '@attune/kit/testing'

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
  const kafka = await kafkaForTests()
  const server = await startServiceProcess(
    join(import.meta.dirname, '..', 'src', 'server.ts'),
    {
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      LOG_LEVEL: logLevel,
      DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX ?? '16',
      // e.g. BENCH_NODE_OPTIONS=--cpu-prof to profile the server under load.
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
    process.env.BENCH_DATABASE_OPTIONS ? { databaseOptions: process.env.BENCH_DATABASE_OPTIONS } : {},
  ).catch(async (err: unknown) => {
    await kafka.stop()
    throw err
  })
  return {
    url: server.url,
    databaseUrl: server.databaseUrl,
    process: server.process,
    async stop() {
      await server.stop()
      await server.drop()
      await kafka.stop()
    },
  }
}
