import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { LazyRequestLogger } from '../src/http/request-logger.ts'
import { loggerOptions } from '../src/logger.ts'

function setup(level: string) {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    },
  })
  const parent = pino(loggerOptions('probe', level), sink)
  let children = 0
  // pino children inherit from their parent's object, so the count must not bind `this`.
  const child = parent.child
  parent.child = function (this: typeof parent, ...args: Parameters<typeof child>) {
    children++
    return child.apply(this, args)
  } as typeof parent.child
  return { parent, lines, children: () => children }
}

t.test('no pino child is made until a line is written at an enabled level', async (t) => {
  const { parent, lines, children } = setup('warn')
  const log = new LazyRequestLogger(parent, { reqId: 'r-1' }, {})
  log.info({ req: 'x' }, 'incoming request')
  log.debug('ignored')
  t.equal(children(), 0)
  t.equal(lines.length, 0)
  t.equal(log.level, 'warn')
  log.warn({ config: { DATABASE_URL: 'postgres://u:pw@db/x' } }, 'slow')
  t.equal(children(), 1)
  log.error('twice')
  t.equal(children(), 1, 'made once')
  t.equal(log.level, 'warn')
  t.match(lines[0], { reqId: 'r-1', level: 'warn', msg: 'slow', service: 'probe', config: { DATABASE_URL: '[redacted]' } })
  t.match(lines[1], { reqId: 'r-1', level: 'error', msg: 'twice' })
})

t.test('a route level (Fastify logLevel) above or below the service level is honoured', async (t) => {
  const { parent, lines } = setup('info')
  const quiet = new LazyRequestLogger(parent, { reqId: 'r-2' }, { level: 'warn' })
  quiet.info('not written')
  t.equal(quiet.level, 'warn')
  quiet.warn('written')
  const loud = new LazyRequestLogger(parent, { reqId: 'r-3' }, { level: 'debug' })
  loud.debug('written too')
  t.same(
    lines.map((l) => l.msg),
    ['written', 'written too'],
  )
  const grand = loud.child({ step: 'db' })
  grand.debug('from a child of the request logger')
  t.match(lines[2], { reqId: 'r-3', step: 'db', msg: 'from a child of the request logger' })
  loud.level = 'error'
  loud.warn('not written after the level was raised')
  t.equal(lines.length, 3)
})
