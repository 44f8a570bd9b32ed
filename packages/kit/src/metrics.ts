import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

/** The metrics every service exposes on /metrics; one registry per service (embedded mode runs several). */
export function createMetrics(service: string) {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    outboxPublished: new Counter({ name: 'outbox_published_total', help: 'Events relayed from the outbox to the bus', registers: [registry] }),
    outboxErrors: new Counter({ name: 'outbox_publish_errors_total', help: 'Failed outbox relay batches', registers: [registry] }),
    consumerEvents: new Counter({
      name: 'consumer_events_total',
      help: 'Consumed events by consumer and outcome (processed, duplicate, erased: about an id erased after it happened, retried, dead_lettered)',
      labelNames: ['consumer', 'outcome'] as const,
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>

/** A counter of a service's own on its registry (served on /metrics with the kit's). */
export function serviceCounter<L extends string>(metrics: Metrics, config: { name: string; help: string; labelNames: readonly L[] }): Counter<L> {
  return new Counter({ ...config, registers: [metrics.registry] })
}
