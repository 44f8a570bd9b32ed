// startServiceProcess: a server script as its own process on a fresh database and a free port,
// with the benchmark environment; resolves once /health/ready answers.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import t from 'tap'
import { startServiceProcess } from '../src/testing/service-process.ts'

// A stand-in server: ready at once, answers /env with the environment it was given.
const dir = mkdtempSync(join(tmpdir(), 'attune-service-process-'))
const script = join(dir, 'server.mjs')
writeFileSync(
  script,
  `import { createServer } from 'node:http'
createServer((req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(req.url === '/env' ? JSON.stringify(process.env) : '{}')
}).listen(Number(process.env.PORT), process.env.HOST)
process.on('SIGTERM', () => process.exit(0))
`,
)

t.test('the process gets the database, port, keys and limits, env overriding them', async (t) => {
  const s = await startServiceProcess(script, { LOG_LEVEL: 'info', EXTRA: 'x' }, { databaseOptions: '-c statement_timeout=5000' })
  const env = (await (await fetch(`${s.url}/env`)).json()) as Record<string, string>
  t.equal(env.PORT, new URL(s.url).port)
  t.equal(env.LOG_LEVEL, 'info', 'env overrides the default warn')
  t.equal(env.EXTRA, 'x')
  t.equal(env.RATE_LIMIT_MAX, '100000000')
  t.equal(env.DOCS_ENABLED, 'false')
  t.ok(env.ATTUNE_API_KEYS?.includes('test-admin:secret:'))
  t.equal(env.DATABASE_URL, `${s.databaseUrl}?options=${encodeURIComponent('-c statement_timeout=5000')}`)
  const client = new pg.Client({ connectionString: s.databaseUrl })
  await client.connect()
  t.same((await client.query('select 1 as one')).rows, [{ one: 1 }], 'the database exists')
  await client.end()
  await s.stop()
  t.not(s.process.child.exitCode ?? s.process.child.signalCode, null, 'stopped')
  await s.drop()
  const after = new pg.Client({ connectionString: s.databaseUrl })
  await t.rejects(after.connect(), 'dropped')
})
