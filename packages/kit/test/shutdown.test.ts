import { Writable } from 'node:stream'
import { BaseConfigSchema, createService, type KitTables, loadConfig, loggerOptions, MemoryBus, openDatabase, type ServiceDefinition } from '@attune/kit'
import { createTestDatabase, TEST_API_KEYS, TEST_SECRET_KEY, waitFor } from '@attune/kit/testing'
import pino from 'pino'
import t from 'tap'

let release: () => void = () => {}
let entered = false
const slow: ServiceDefinition<KitTables> = {
  name: 'slow',
  version: '0.0.1',
  description: 'shutdown test service',
  tags: [],
  migrations: {},
  routes(app) {
    app.get('/v1/slow', { config: { scope: 'admin' }, schema: { operationId: 'slow', tags: ['slow'] } }, async () => {
      entered = true
      await new Promise<void>((r) => {
        release = r
      })
      return { done: true }
    })
  },
}

const pg = await createTestDatabase()
t.teardown(() => pg.drop())

t.test('close waits for in-flight requests, and logs carry no secrets', async (t) => {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const database = await openDatabase(pg.url)
  const config = loadConfig(BaseConfigSchema, { DATABASE_URL: pg.url, ATTUNE_API_KEYS: TEST_API_KEYS, LOG_LEVEL: 'debug', DOCS_ENABLED: 'false' })
  const service = await createService(slow, {
    config,
    database,
    bus: new MemoryBus(),
    logger: pino(loggerOptions('slow', 'debug'), sink),
    owns: { bus: true, database: true },
  })
  await service.migrate()
  await service.start()
  const address = await service.app.listen({ port: 0, host: '127.0.0.1' })

  const inflight = fetch(`${address}/v1/slow?token=abc`, { headers: { authorization: `Bearer ${TEST_SECRET_KEY}` } })
  await waitFor(() => entered, { what: 'the handler to start' })
  const closing = service.close()
  let closed = false
  void closing.then(() => {
    closed = true
  })
  await new Promise((r) => setImmediate(r))
  t.notOk(closed, 'close waits while a request is in flight')
  release()
  const res = await inflight
  t.equal(res.status, 200)
  t.equal(res.headers.get('connection'), 'close', 'a response finished while closing ends its connection')
  t.same(await res.json(), { done: true })
  await closing
  const log = lines.join('')
  t.match(log, /"url":"\/v1\/slow/, 'requests are logged')
  t.notMatch(log, new RegExp(TEST_SECRET_KEY), 'the API key never reaches the log')
})
