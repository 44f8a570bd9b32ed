import type { IncomingMessage, ServerResponse } from 'node:http'
import { Problem, type TopicName, topicName } from '@attune/contracts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import type { Kysely, Transaction } from 'kysely'
import pino, { type Logger } from 'pino'
import type { TObject, TSchema } from 'typebox'
import { v7 as uuidv7 } from 'uuid'
import type { BaseConfig } from './config.ts'
import { type Database, schemaView } from './db/database.ts'
import type { KitTables } from './db/kit-tables.ts'
import { kitMigrations } from './db/kit-tables.ts'
import { type MigrationReport, type MigrationSet, migrateSchema } from './db/migrate.ts'
import type { EventBus, Subscription } from './events/bus.ts'
import { type ConsumerDefinition, createConsumerRunner } from './events/consumer.ts'
import { createListenerRunner, type ListenerDefinition } from './events/listener.ts'
import { enqueueEvents, type OutboxMessage, OutboxRelay } from './events/outbox.ts'
import { parseApiKeys, registerAuth } from './http/auth.ts'
import { registerDocs } from './http/docs.ts'
import { errorHandler, notFoundHandler } from './http/error-handler.ts'
import { registerHealthRoutes } from './http/health.ts'
import { registerJsonBodyParser } from './http/json-body.ts'
import { RouteLimits } from './http/rate-limit.ts'
import { LazyRequestLogger } from './http/request-logger.ts'
import { schemaController } from './http/validator.ts'
import { loggerOptions } from './logger.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { tombstoneExpiryJob } from './privacy/erased-subjects.ts'
import { erasureConsumer } from './privacy/erasure-consumer.ts'
import { registerPrivacyExportRoute } from './privacy/export-route.ts'
import type { PrivacyHooks } from './privacy/hooks.ts'
import { type JobDefinition, type RunningJobs, startJobs } from './privacy/jobs.ts'
import { timeOrderedId } from './random.ts'

export type ServiceApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>
export type Clock = () => Date

/** What routes and consumers of a service get to work with. */
export interface ServiceContext<DB extends KitTables, C extends BaseConfig = BaseConfig> {
  name: string
  /** The Postgres schema this service owns (`DATABASE_SCHEMA`, default the service name). */
  schema: string
  config: C
  /** This service's schema only. */
  db: Kysely<DB>
  bus: EventBus
  log: Logger
  clock: Clock
  metrics: Metrics
  /** Full topic name for a logical topic (prefix applied). */
  topic(t: TopicName): string
  /** Runs `fn` in a transaction; events passed to `emit` commit with it and are relayed right after. */
  transaction<T>(fn: (trx: Transaction<DB>, emit: (messages: OutboxMessage[]) => Promise<void>) => Promise<T>): Promise<T>
}

export interface ServiceDefinition<DB extends KitTables, C extends BaseConfig = BaseConfig> {
  name: string
  description: string
  version: string
  tags: { name: string; description: string }[]
  migrations: MigrationSet
  /**
   * The service's configuration schema when it reads variables of its own (`extendConfig`); every
   * host (server, migrate Job, embedded mode, tests) loads it, so the variables work everywhere.
   */
  configSchema?: TObject
  /** Schemas with `$id` that routes reference with `ref()`; they become OpenAPI components. */
  schemas?: TSchema[]
  routes(app: ServiceApp, ctx: ServiceContext<DB, C>): void | Promise<void>
  consumers?(ctx: ServiceContext<DB, C>): ConsumerDefinition<DB>[]
  /** In-memory reactions of each replica to every event of some topics (see ListenerDefinition). */
  listeners?(ctx: ServiceContext<DB, C>): ListenerDefinition[]
  /** Declared by every service holding user data: the kit then erases and confirms on `privacy.erasure-requested`. */
  privacy?: PrivacyHooks<DB>
  /** Periodic tasks, started with the service and stopped before it closes. */
  jobs?(ctx: ServiceContext<DB, C>): JobDefinition[]
}

export interface ServiceDeps<C extends BaseConfig> {
  config: C
  database: Database
  bus: EventBus
  logger?: Logger
  clock?: Clock
  /** What the service closes when it closes (nothing when shared, as in embedded mode). */
  owns?: { bus?: boolean; database?: boolean }
}

export interface Service<DB extends KitTables, C extends BaseConfig = BaseConfig> {
  app: ServiceApp
  context: ServiceContext<DB, C>
  relay: OutboxRelay
  migrate(): Promise<MigrationReport>
  /** Starts the outbox relay and the consumers. */
  start(): Promise<void>
  /** Stops taking requests, drains in-flight ones and the outbox, stops consumers. */
  close(): Promise<void>
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Builds a service: Fastify with the kit's plugins and the service's routes, plus its relay and consumers. */
export async function createService<DB extends KitTables, C extends BaseConfig>(def: ServiceDefinition<DB, C>, deps: ServiceDeps<C>): Promise<Service<DB, C>> {
  const { config, database, bus } = deps
  const schema = config.DATABASE_SCHEMA ?? def.name
  const log = deps.logger ?? pino(loggerOptions(def.name, config.LOG_LEVEL))
  // Names this process's own consumer group for listeners, so every replica sees every event.
  const instanceId = uuidv7()
  const clock = deps.clock ?? (() => new Date())
  const metrics = createMetrics(def.name)
  const db = schemaView<DB>(database, schema)
  const kitDb = db as unknown as Kysely<KitTables>
  const relay = new OutboxRelay({
    db: kitDb,
    bus,
    log: log.child({ component: 'outbox' }),
    metrics,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollMs: config.OUTBOX_POLL_MS,
  })
  const keys = parseApiKeys(config.ATTUNE_API_KEYS)

  const context: ServiceContext<DB, C> = {
    name: def.name,
    schema,
    config,
    db,
    bus,
    log,
    clock,
    metrics,
    topic: (t) => topicName(config.KAFKA_TOPIC_PREFIX, t),
    async transaction(fn) {
      let emitted = false
      const result = await db.transaction().execute((trx) =>
        fn(trx, async (messages) => {
          emitted ||= messages.length > 0
          await enqueueEvents(trx, messages)
        }),
      )
      if (emitted) relay.nudge()
      return result
    },
  }

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      // Pooled randomness: a system call per request id showed up in profiles of fast routes.
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : timeOrderedId()
    },
    childLoggerFactory: (logger, bindings, options) => new LazyRequestLogger(logger as Logger, bindings, options),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Ids may be 128 characters (contracts' ExternalId); Fastify's default limit is 100.
    routerOptions: { maxParamLength: 256 },
    schemaController,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>()

  // JSON only: a text/plain body is refused with 415 instead of failing validation as a string.
  app.removeContentTypeParser('text/plain')
  registerJsonBodyParser(app)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  // Callback hooks where nothing is awaited: an async hook costs a promise on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  // Responses finished while closing end their connection, so keep-alive clients cannot hold the
  // shutdown open for the keep-alive timeout (72 s by default) after in-flight requests are done.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, scope: false }
  })
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
    done()
  })
  registerAuth(app, keys, new RouteLimits({ max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS }))
  app.addSchema(Problem)
  for (const s of def.schemas ?? []) app.addSchema(s)
  await registerDocs(app, def, config.DOCS_ENABLED)

  let started = false
  let relayStarted = false
  registerHealthRoutes(app, { db: db as unknown as Kysely<unknown>, bus, metrics, isStarted: () => started })
  const exportUser = def.privacy?.export
  if (exportUser) registerPrivacyExportRoute(app, { service: def.name, db, exportUser, clock })
  await def.routes(app, context)

  const subscriptions: Subscription[] = []
  const consumers = [
    ...(def.consumers?.(context) ?? []),
    ...(def.privacy ? [erasureConsumer(def.privacy, { service: def.name, topicPrefix: config.KAFKA_TOPIC_PREFIX, clock, schema })] : []),
  ]
  let jobs: RunningJobs | undefined

  app.addHook('onClose', async () => {
    started = false
    await jobs?.stop()
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()))
    if (relayStarted) {
      const left = await relay.drain(config.SHUTDOWN_TIMEOUT_MS)
      log.info({ outboxLeft: left }, 'service stopped')
    }
    if (deps.owns?.bus) await bus.close()
    if (deps.owns?.database) await database.close()
  })

  return {
    app,
    context,
    relay,
    migrate: () => migrateSchema(database, schema, { ...kitMigrations, ...def.migrations }),
    async start() {
      if (config.OUTBOX_RELAY_ENABLED) {
        relay.start()
        relayStarted = true
      }
      if (consumers.length > 0 && config.CONSUMERS_ENABLED) {
        const runners = consumers.map((c) => ({
          topic: context.topic(c.topic),
          run: createConsumerRunner(c, {
            db: kitDb,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
            retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
            log,
            metrics,
            onDeadLetter: () => relay.nudge(),
            schema,
          }),
        }))
        const topics = [...new Set(runners.map((r) => r.topic))]
        subscriptions.push(
          await bus.subscribe({
            groupId: `${config.KAFKA_TOPIC_PREFIX || 'attune'}.${def.name}`,
            topics,
            handleBatch: async (messages) => {
              for (const r of runners) {
                const mine = messages.filter((m) => m.topic === r.topic)
                if (mine.length > 0) await r.run(mine)
              }
            },
          }),
        )
      }
      const listeners = def.listeners?.(context) ?? []
      if (listeners.length > 0) {
        const mine = listeners.map((l) => ({ def: l, topics: new Set(l.topics.map((t) => context.topic(t))) }))
        subscriptions.push(
          await bus.subscribe({
            groupId: `${config.KAFKA_TOPIC_PREFIX || 'attune'}.${def.name}.listeners.${instanceId}`,
            topics: [...new Set(mine.flatMap((l) => [...l.topics]))],
            fromBeginning: false,
            handleBatch: createListenerRunner(mine, log.child({ component: 'listeners' })),
          }),
        )
      }
      await app.ready()
      const allJobs = [...(def.jobs?.(context) ?? []), ...(def.privacy ? [tombstoneExpiryJob(kitDb, config, clock)] : [])]
      if (allJobs.length > 0) jobs = startJobs(allJobs, log.child({ component: 'jobs' }))
      started = true
    },
    close: () => app.close(),
  }
}
