import pino from 'pino'
import type { TObject } from 'typebox'
import { type BaseConfig, BaseConfigSchema, ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './db/database.ts'
import type { KitTables } from './db/kit-tables.ts'
import { kitMigrations } from './db/kit-tables.ts'
import { migrateSchema } from './db/migrate.ts'
import type { EventBus } from './events/bus.ts'
import { KafkaBus } from './events/kafka-bus.ts'
import { MemoryBus } from './events/memory-bus.ts'
import { loggerOptions } from './logger.ts'
import { createService, type ServiceDefinition } from './service.ts'

function configOrExit<C extends BaseConfig>(schema: TObject, env: NodeJS.ProcessEnv): C {
  try {
    return loadConfig(schema, env) as C
  } catch (err) {
    if (err instanceof ConfigError || err instanceof Error) {
      process.stderr.write(`${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
}

/** Creates the bus the configuration asks for: Kafka when brokers are given, in-memory otherwise. */
export function createBus(config: BaseConfig, clientId: string, log: pino.Logger): EventBus {
  const brokers = config.KAFKA_BROKERS.split(',')
    .map((b) => b.trim())
    .filter(Boolean)
  return brokers.length > 0
    ? new KafkaBus({
        brokers,
        clientId: config.KAFKA_CLIENT_ID ?? clientId,
        log,
        fetchMinBytes: config.KAFKA_FETCH_MIN_BYTES,
        fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
        partitionsConcurrency: config.KAFKA_PARTITIONS_CONCURRENCY,
      })
    : new MemoryBus()
}

/**
 * The whole of a service's `server.ts`: validated config, database, bus, migrations (unless a
 * Job runs them), listen, and a graceful shutdown on SIGTERM/SIGINT (a second signal exits now).
 */
export async function runService<DB extends KitTables, C extends BaseConfig>(
  def: ServiceDefinition<DB, C>,
  configSchema: TObject = def.configSchema ?? BaseConfigSchema,
): Promise<void> {
  const config = configOrExit<C>(configSchema, process.env)
  const log = pino(loggerOptions(def.name, config.LOG_LEVEL))
  const database = await openDatabase(config.DATABASE_URL, {
    poolMax: config.DATABASE_POOL_MAX,
    applicationName: `attune-${def.name}`,
    onIdleClientError: (err) => log.warn({ err }, 'an idle database connection was closed by the server; it will be replaced'),
  })
  const bus = createBus(config, `attune-${def.name}`, log)
  const service = await createService(def, { config, database, bus, logger: log, owns: { bus: true, database: true } })
  if (config.MIGRATE_ON_START) {
    const report = await service.migrate()
    log.info({ applied: report.applied }, 'migrations applied')
  }
  await service.start()
  await service.app.listen({ port: config.PORT, host: config.HOST })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    closing = true
    log.info({ signal }, 'shutting down')
    const timer = setTimeout(() => {
      log.error('shutdown timed out')
      process.exit(1)
    }, config.SHUTDOWN_TIMEOUT_MS + 5000)
    timer.unref()
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

/** The `migrate` command for Kubernetes Jobs: applies this service's migrations and exits. */
export async function runMigrations<DB extends KitTables, C extends BaseConfig>(
  def: ServiceDefinition<DB, C>,
  configSchema: TObject = def.configSchema ?? BaseConfigSchema,
): Promise<void> {
  const config = configOrExit<C>(configSchema, process.env)
  const log = pino(loggerOptions(def.name, config.LOG_LEVEL))
  const database = await openDatabase(config.DATABASE_URL, { poolMax: 1, applicationName: `attune-${def.name}-migrate` })
  try {
    const report = await migrateSchema(database, config.DATABASE_SCHEMA ?? def.name, { ...kitMigrations, ...def.migrations })
    log.info({ applied: report.applied }, 'migrations applied')
  } finally {
    await database.close()
  }
}
