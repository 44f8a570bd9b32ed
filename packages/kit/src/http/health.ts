import type { FastifyInstance } from 'fastify'
import { type Kysely, sql } from 'kysely'
import { Type } from 'typebox'
import type { EventBus } from '../events/bus.ts'
import type { Metrics } from '../metrics.ts'

const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    checks: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failing')]))),
  },
  { examples: [{ status: 'ok', checks: { database: 'ok', bus: 'ok', started: 'ok' } }] },
)

/** /health/live (the process answers), /health/ready (database and bus answer), /metrics. */
export function registerHealthRoutes(app: FastifyInstance, deps: { db: Kysely<unknown>; bus: EventBus; metrics: Metrics; isStarted: () => boolean }) {
  app.get(
    '/health/live',
    {
      config: { scope: false },
      logLevel: 'warn',
      schema: { operationId: 'getLiveness', tags: ['health'], summary: 'The process is up', response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/health/ready',
    {
      config: { scope: false },
      logLevel: 'warn',
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'The database and the event bus answer and the service has started',
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const [db, bus] = await Promise.all([
        sql`select 1`.execute(deps.db).then(
          () => true,
          () => false,
        ),
        deps.bus.isReady().catch(() => false),
      ])
      const started = deps.isStarted()
      const ok = db && bus && started
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'unavailable',
        checks: { database: db ? 'ok' : 'failing', bus: bus ? 'ok' : 'failing', started: started ? 'ok' : 'failing' },
      })
    },
  )
  app.get(
    '/metrics',
    {
      config: { scope: false },
      logLevel: 'warn',
      schema: {
        operationId: 'getMetrics',
        tags: ['health'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: {
          200: Type.String({ description: 'Prometheus text exposition format', examples: ['http_request_duration_seconds_count{route="/v1/events"} 42'] }),
        },
      },
    },
    async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  )
}
