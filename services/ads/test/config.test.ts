// The ads configuration's rule across variables: a tracking link must not outlive the erasure
// tombstones (ADS_TRACKING_TTL_SECONDS ≤ PRIVACY_TOMBSTONE_DAYS × 86400), refused like any bad variable.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '@attune/kit'
import t from 'tap'
import { AdsConfigSchema } from '../src/config.ts'

const required = { DATABASE_URL: 'memory://' }

/** What loadConfig throws for `env` (undefined if it does not throw). */
function thrownBy(env: Record<string, string>): unknown {
  try {
    loadConfig(AdsConfigSchema, { ...required, ...env })
  } catch (err) {
    return err
  }
  return undefined
}

t.test('the defaults are accepted: links live a day, tombstones 30', async (t) => {
  const c = loadConfig(AdsConfigSchema, required)
  t.equal(c.ADS_TRACKING_TTL_SECONDS, 86400)
  t.equal(c.PRIVACY_TOMBSTONE_DAYS, 30)
})

t.test('a link may live exactly as long as the tombstones', async (t) => {
  const c = loadConfig(AdsConfigSchema, { ...required, ADS_TRACKING_TTL_SECONDS: String(30 * 86400) })
  t.equal(c.ADS_TRACKING_TTL_SECONDS, 2_592_000)
  const one = loadConfig(AdsConfigSchema, { ...required, ADS_TRACKING_TTL_SECONDS: '86400', PRIVACY_TOMBSTONE_DAYS: '1' })
  t.same([one.ADS_TRACKING_TTL_SECONDS, one.PRIVACY_TOMBSTONE_DAYS], [86400, 1])
  const longer = loadConfig(AdsConfigSchema, { ...required, ADS_TRACKING_TTL_SECONDS: String(90 * 86400), PRIVACY_TOMBSTONE_DAYS: '90' })
  t.equal(longer.ADS_TRACKING_TTL_SECONDS, 7_776_000, 'a longer TTL with tombstones kept as long')
})

t.test('a link outliving the tombstones is refused with one line naming both variables', async (t) => {
  for (const [env, values] of [
    [{ ADS_TRACKING_TTL_SECONDS: String(30 * 86400 + 1) }, ['ADS_TRACKING_TTL_SECONDS=2592001', 'PRIVACY_TOMBSTONE_DAYS=30']],
    [{ ADS_TRACKING_TTL_SECONDS: '86401', PRIVACY_TOMBSTONE_DAYS: '1' }, ['ADS_TRACKING_TTL_SECONDS=86401', 'PRIVACY_TOMBSTONE_DAYS=1']],
  ] as const) {
    const err = thrownBy(env)
    t.type(err, ConfigError, JSON.stringify(env))
    const message = (err as Error).message
    t.match(message, /^invalid configuration: ADS_TRACKING_TTL_SECONDS=/)
    t.notMatch(message, /\n/, 'one line')
    t.notMatch(message, /\(got /, 'no single variable to quote')
    for (const v of values) t.ok(message.includes(v), `${JSON.stringify(env)} names ${v}: ${message}`)
  }
})

t.test('a bad value of either variable is reported as such, not as the pair', async (t) => {
  t.match((thrownBy({ ADS_TRACKING_TTL_SECONDS: 'long' }) as Error).message, 'ADS_TRACKING_TTL_SECONDS must be an integer')
  t.match((thrownBy({ ADS_TRACKING_TTL_SECONDS: '30' }) as Error).message, 'ADS_TRACKING_TTL_SECONDS must be >= 60')
  t.match((thrownBy({ ADS_TRACKING_TTL_SECONDS: '9999999', PRIVACY_TOMBSTONE_DAYS: '0' }) as Error).message, 'PRIVACY_TOMBSTONE_DAYS must be >= 1')
})

t.test('the server refuses to start: exit 1, the one line on stderr, no stack', async (t) => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'src', 'server.ts')], {
    // Never reached: the configuration is read before anything connects.
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', ADS_TRACKING_TTL_SECONDS: '2678400' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  t.equal(r.status, 1)
  t.equal(r.stdout, '')
  const lines = r.stderr.trimEnd().split('\n')
  t.equal(lines.length, 1, r.stderr)
  t.match(lines[0], /^invalid configuration: .*ADS_TRACKING_TTL_SECONDS=2678400.*PRIVACY_TOMBSTONE_DAYS=30/)
})
