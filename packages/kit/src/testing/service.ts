import { randomBytes } from 'node:crypto'
import type { TObject } from 'typebox'
import { type BaseConfig, BaseConfigSchema, loadConfig } from '../config.ts'
import { type Database, openDatabase } from '../db/database.ts'
import type { KitTables } from '../db/kit-tables.ts'
import type { EventBus } from '../events/bus.ts'
import { MemoryBus } from '../events/memory-bus.ts'
import { hashApiKey } from '../http/auth.ts'
import { createService, type Service, type ServiceDefinition } from '../service.ts'
import { createTestDatabase } from './postgres.ts'

export const TEST_SECRET_KEY = 'atn_sk_test_secret_key'
export const TEST_PUBLIC_KEY = 'atn_pk_test_public_key'
export const TEST_API_KEYS = `test-admin:secret:${hashApiKey(TEST_SECRET_KEY)},test-site:public:${hashApiKey(TEST_PUBLIC_KEY)}`

export const asAdmin = { authorization: `Bearer ${TEST_SECRET_KEY}` }
export const asSite = { authorization: `Bearer ${TEST_PUBLIC_KEY}` }

/** A topic prefix of its own, so tests sharing one Kafka never see each other's events. */
export function uniqueTopicPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`
}

export interface TestServiceOptions {
  database: Database
  bus?: EventBus
  env?: Record<string, string>
  configSchema?: TObject
  start?: boolean
  clock?: () => Date
}

/** Builds, migrates and starts a service for a test, with test keys and a quiet logger; closing it closes its bus. */
export async function startTestService<DB extends KitTables, C extends BaseConfig>(
  def: ServiceDefinition<DB, C>,
  opts: TestServiceOptions,
): Promise<Service<DB, C>> {
  const config = loadConfig(opts.configSchema ?? def.configSchema ?? BaseConfigSchema, {
    DATABASE_URL: 'memory://',
    ATTUNE_API_KEYS: TEST_API_KEYS,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '50',
    CONSUMER_RETRY_BASE_MS: '5',
    DOCS_ENABLED: 'false',
    SHUTDOWN_TIMEOUT_MS: '3000',
    ...opts.env,
  }) as C
  const service = await createService(def, {
    config,
    database: opts.database,
    bus: opts.bus ?? new MemoryBus({ retryDelayMs: 20 }),
    ...(opts.clock ? { clock: opts.clock } : {}),
    owns: { bus: true },
  })
  await service.migrate()
  if (opts.start !== false) await service.start()
  return service
}

/** What runs clean-ups when a test file ends (tap's `t`). */
export interface Teardown {
  teardown(fn: () => Promise<void>): void
}

/**
 * A service on a database of its own, for a test file: built, migrated and started (unless
 * `start: false`) as `startTestService` does; stopped, its handle closed and the database dropped
 * when the file ends.
 */
export async function startTestServiceOnNewDatabase<DB extends KitTables, C extends BaseConfig>(
  t: Teardown,
  def: ServiceDefinition<DB, C>,
  opts: Omit<TestServiceOptions, 'database'> = {},
): Promise<{ service: Service<DB, C>; database: Database }> {
  const pg = await createTestDatabase()
  const database = await openDatabase(pg.url)
  const service = await startTestService(def, { ...opts, database }).catch(async (err: unknown) => {
    await database.close()
    await pg.drop()
    throw err
  })
  t.teardown(async () => {
    await service.close()
    await database.close()
    await pg.drop()
  })
  return { service, database }
}

/** Opens a database handle on a URL (tests close it themselves). */
export function openTestDatabase(url: string): Promise<Database> {
  return openDatabase(url, { poolMax: 5, applicationName: 'attune-test' })
}

/** Polls `probe` until it returns a truthy value or the deadline passes (no fixed sleeps). */
export async function waitFor<T>(probe: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000)
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await probe()
    if (last) return last as NonNullable<T>
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25))
  }
  throw new Error(`timed out waiting for ${opts.what ?? 'condition'} (last value: ${JSON.stringify(last)})`)
}
