import { type Static, type TObject, type TProperties, Type } from 'typebox'
import { Value } from 'typebox/value'

const Bool = Type.Union([Type.Literal('true'), Type.Literal('false')])

/** Variables every service reads; services extend this with their own. */
export const BaseConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  DATABASE_URL: Type.String({
    minLength: 1,
    description: 'postgres://… for Postgres; pglite://<dir> or memory:// for embedded PGlite',
  }),
  DATABASE_SCHEMA: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  KAFKA_BROKERS: Type.String({ default: '', description: 'Comma-separated host:port; empty uses the in-memory bus' }),
  KAFKA_TOPIC_PREFIX: Type.String({ pattern: '^[A-Za-z0-9._-]{0,100}$', default: 'attune' }),
  KAFKA_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_FETCH_MIN_BYTES: Type.Integer({
    minimum: 1,
    maximum: 16 * 1024 * 1024,
    default: 65536,
    description: 'A consumer fetch waits for this much data (or KAFKA_FETCH_MAX_WAIT_MS): larger batches, fewer transactions under load',
  }),
  KAFKA_FETCH_MAX_WAIT_MS: Type.Integer({ minimum: 0, maximum: 10000, default: 100, description: 'Longest a fetch waits for KAFKA_FETCH_MIN_BYTES' }),
  KAFKA_PARTITIONS_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 2, description: 'Partitions a consumer applies at the same time' }),
  ATTUNE_API_KEYS: Type.String({ default: '', description: 'Comma-separated name:scope:sha256hex' }),
  MIGRATE_ON_START: Bool,
  OUTBOX_RELAY_ENABLED: Bool,
  /** false runs an API-only replica: no consumers (others apply the events); listeners still keep its memory current. */
  CONSUMERS_ENABLED: Bool,
  OUTBOX_POLL_MS: Type.Integer({ minimum: 10, maximum: 60000, default: 250 }),
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10000, default: 1000 }),
  CONSUMER_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  CONSUMER_RETRY_BASE_MS: Type.Integer({ minimum: 0, maximum: 60000, default: 100 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 6000 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 100, default: 60000 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024, default: 1024 * 1024 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 10000 }),
  DOCS_ENABLED: Bool,
  PRIVACY_SERVICES: Type.String({
    pattern: '^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$',
    default: 'profiling,recommendation,sentiment,generation,scheduling,ads',
    description: 'Comma-separated services that must confirm an erasure before it completes',
  }),
  PRIVACY_EXPORT_SOURCES: Type.String({
    pattern: '^$|^[a-z][a-z0-9-]*=https?://[^,\\s]+(,[a-z][a-z0-9-]*=https?://[^,\\s]+)*$',
    default: '',
    description:
      'Services whose part profiling gathers into one export (GET /v1/privacy/users/{userId}/export): comma-separated name=baseUrl, e.g. recommendation=http://recommendation:3000 (profiling)',
  }),
  PRIVACY_EXPORT_API_KEY: Type.Optional(
    Type.String({ minLength: 1, description: 'A secret (admin) key the export sources accept, sent when gathering their parts (profiling)' }),
  ),
  PRIVACY_EXPORT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 10000, description: 'Per source, when gathering an export (profiling)' }),
  PRIVACY_TOMBSTONE_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 30,
    description:
      'How long the hash of an erased id is kept so events about it that were still in flight (older than the erasure) are dropped; longer than the topics keep events',
  }),
  EVENT_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 36500, default: 395, description: 'Raw events older than this are purged' }),
  ANALYTICS_WITHOUT_CONSENT: Type.Union([Type.Literal('keep'), Type.Literal('aggregate'), Type.Literal('drop')], {
    default: 'keep',
    description:
      'Events of users without analytics consent: keep (consent collected elsewhere; an explicit refusal is still honoured as aggregate), aggregate (no user ids kept), drop',
  }),
  EVENT_RETENTION_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 3600000, description: 'How often the retention job runs' }),
})
// Defaults of the boolean switches (TypeBox unions take no default of their own here).
const boolDefaults = { MIGRATE_ON_START: 'true', OUTBOX_RELAY_ENABLED: 'true', CONSUMERS_ENABLED: 'true', DOCS_ENABLED: 'true' }

export type RawBaseConfig = Static<typeof BaseConfigSchema>
export type BaseConfig = Omit<RawBaseConfig, 'MIGRATE_ON_START' | 'OUTBOX_RELAY_ENABLED' | 'CONSUMERS_ENABLED' | 'DOCS_ENABLED'> & {
  MIGRATE_ON_START: boolean
  OUTBOX_RELAY_ENABLED: boolean
  CONSUMERS_ENABLED: boolean
  DOCS_ENABLED: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Extends the base schema with a service's own variables. */
export function extendConfig<P extends TProperties>(props: P) {
  return Type.Object({ ...BaseConfigSchema.properties, ...props })
}

/**
 * Reads and validates configuration from an environment map (never at import time).
 * Throws a ConfigError whose message is one line naming the bad variable.
 */
export function loadConfig<T extends TObject>(schema: T, env: Record<string, string | undefined>): BaseConfig & Omit<Static<T>, keyof RawBaseConfig> {
  const raw: Record<string, unknown> = { ...boolDefaults }
  for (const [key, prop] of Object.entries(schema.properties)) {
    const value = env[key]
    if (value === undefined || value === '') continue
    // Value.Convert would truncate "3.5" to 3 and turn "true" into 1; integers must be written as such.
    if ((prop as { type?: string }).type === 'integer' && !/^-?\d+$/.test(value)) {
      throw new ConfigError(`invalid configuration: ${key} must be an integer (got ${JSON.stringify(value)})`)
    }
    raw[key] = value
  }
  const withDefaults = Value.Default(schema, raw)
  const converted = Value.Convert(schema, withDefaults)
  const first = Value.Errors(schema, converted)[0]
  if (first) {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0]
    if (!first.instancePath && missing) throw new ConfigError(`invalid configuration: ${missing} is required`)
    // A rule across variables (a refinement of the whole schema) names them in its own message.
    if (!first.instancePath) throw new ConfigError(`invalid configuration: ${first.message}`)
    const name = first.instancePath.replace(/^\//, '')
    throw new ConfigError(`invalid configuration: ${name} ${first.message} (got ${JSON.stringify(env[name] ?? null)})`)
  }
  const out = converted as Record<string, unknown>
  for (const key of Object.keys(boolDefaults)) out[key] = out[key] === 'true'
  return out as BaseConfig & Omit<Static<T>, keyof RawBaseConfig>
}
