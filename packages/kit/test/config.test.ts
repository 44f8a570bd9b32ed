import t from 'tap'
import { Type } from 'typebox'
import { BaseConfigSchema, ConfigError, extendConfig, loadConfig } from '../src/config.ts'

const required = { DATABASE_URL: 'memory://' }

/** What loadConfig throws for `env` (undefined if it does not throw). */
function thrownBy(env: Record<string, string | undefined>): unknown {
  try {
    loadConfig(BaseConfigSchema, env)
  } catch (err) {
    return err
  }
  return undefined
}

t.test('defaults are applied', async (t) => {
  const c = loadConfig(BaseConfigSchema, required)
  t.equal(c.DATABASE_URL, 'memory://')
  t.equal(c.PORT, 3000)
  t.equal(c.HOST, '0.0.0.0')
  t.equal(c.LOG_LEVEL, 'info')
  t.equal(c.DATABASE_POOL_MAX, 10)
  t.equal(c.KAFKA_BROKERS, '')
  t.equal(c.KAFKA_TOPIC_PREFIX, 'attune')
  t.equal(c.OUTBOX_BATCH_SIZE, 1000)
  t.equal(c.BODY_LIMIT_BYTES, 1024 * 1024)
  t.equal(c.DATABASE_SCHEMA, undefined, 'optional without default stays unset')
})

t.test('integers are coerced from strings', async (t) => {
  const c = loadConfig(BaseConfigSchema, { ...required, PORT: '8080', OUTBOX_POLL_MS: '50', CONSUMER_RETRY_BASE_MS: '0' })
  t.equal(c.PORT, 8080)
  t.equal(c.OUTBOX_POLL_MS, 50)
  t.equal(c.CONSUMER_RETRY_BASE_MS, 0)
})

t.test('boolean switches become booleans, defaulting to true', async (t) => {
  const defaults = loadConfig(BaseConfigSchema, required)
  t.equal(defaults.MIGRATE_ON_START, true)
  t.equal(defaults.OUTBOX_RELAY_ENABLED, true)
  t.equal(defaults.CONSUMERS_ENABLED, true)
  t.equal(defaults.DOCS_ENABLED, true)
  const set = loadConfig(BaseConfigSchema, {
    ...required,
    MIGRATE_ON_START: 'false',
    OUTBOX_RELAY_ENABLED: 'true',
    CONSUMERS_ENABLED: 'false',
    DOCS_ENABLED: 'false',
  })
  t.equal(set.MIGRATE_ON_START, false)
  t.equal(set.OUTBOX_RELAY_ENABLED, true)
  t.equal(set.CONSUMERS_ENABLED, false)
  t.equal(set.DOCS_ENABLED, false)
})

t.test('an empty string counts as unset', async (t) => {
  const c = loadConfig(BaseConfigSchema, { ...required, PORT: '', LOG_LEVEL: '', DOCS_ENABLED: '', DATABASE_SCHEMA: '' })
  t.equal(c.PORT, 3000)
  t.equal(c.LOG_LEVEL, 'info')
  t.equal(c.DOCS_ENABLED, true)
  t.equal(c.DATABASE_SCHEMA, undefined)
})

t.test('variables outside the schema are ignored and the env is not modified', async (t) => {
  const env = { ...required, PATH: '/usr/bin' }
  const c = loadConfig(BaseConfigSchema, env) as Record<string, unknown>
  t.notOk('PATH' in c)
  t.same(env, { DATABASE_URL: 'memory://', PATH: '/usr/bin' })
})

t.test('a missing DATABASE_URL throws a ConfigError naming it', async (t) => {
  for (const env of [{}, { DATABASE_URL: '' }]) {
    const err = thrownBy(env)
    t.type(err, ConfigError)
    t.match((err as Error).message, /^invalid configuration: DATABASE_URL [^\n]+$/)
  }
})

t.test('a bad value throws a one-line ConfigError naming the variable and the value', async (t) => {
  const cases: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['OUTBOX_BATCH_SIZE', '0'],
    ['MIGRATE_ON_START', 'yes'],
    ['DATABASE_SCHEMA', 'Bad-Schema'],
  ]
  for (const [name, value] of cases) {
    const err = thrownBy({ ...required, [name]: value })
    t.type(err, ConfigError, `${name}=${value}`)
    t.match((err as Error).message, new RegExp(`^invalid configuration: ${name} [^\\n]*\\(got "${value}"\\)$`), 'one line naming the variable and value')
  }
})

t.test('a value that is not a whole number is rejected, not truncated', async (t) => {
  t.throws(() => loadConfig(BaseConfigSchema, { ...required, PORT: '3.5' }), ConfigError, 'PORT=3.5')
  t.throws(() => loadConfig(BaseConfigSchema, { ...required, OUTBOX_BATCH_SIZE: 'true' }), ConfigError, 'OUTBOX_BATCH_SIZE=true')
})

t.test('extendConfig adds a service’s own variables to the base ones', async (t) => {
  const schema = extendConfig({ TRENDING_LIMIT: Type.Integer({ minimum: 1, default: 20 }), MODEL_NAME: Type.String({ minLength: 1 }) })
  const c = loadConfig(schema, { ...required, MODEL_NAME: 'pop-v1', TRENDING_LIMIT: '50' })
  t.equal(c.MODEL_NAME, 'pop-v1')
  t.equal(c.TRENDING_LIMIT, 50)
  t.equal(c.PORT, 3000, 'base defaults still apply')
  t.equal(loadConfig(schema, { ...required, MODEL_NAME: 'pop-v1' }).TRENDING_LIMIT, 20, 'own defaults apply')
  t.throws(() => loadConfig(schema, required), { name: 'ConfigError', message: /MODEL_NAME/ }, 'own required variables are enforced')
})
