import { AppError, problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { collectEvents } from '../domain/collect-events.ts'
import { collectedEventsMetric } from '../metrics.ts'
import { EventBatch, EventBatchAccepted } from '../schemas/events.ts'
import { eventCollector } from '../store/event-collector.ts'

export function eventRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  const collector = eventCollector(ctx, ctx.config.ANALYTICS_WITHOUT_CONSENT)
  const outcomes = collectedEventsMetric(ctx.metrics)
  app.post(
    '/v1/events',
    {
      config: { scope: 'events:write' },
      schema: {
        operationId: 'collectEvents',
        tags: ['events'],
        summary: 'Collect a batch of interaction events',
        description:
          'Stores up to 500 interactions and publishes them on `attune.interactions`. Each event id is an idempotency key: ids already stored are reported in `duplicates` and not stored or published again. Events about a suppressed user or anonymous id (see `PUT /v1/privacy/suppressions/{userId}`) are refused and reported in `suppressed`. Events about a user whose erasure ran while they were in flight (received before the erasure was asked for, stored after it ran) are not stored and are reported in `erased`. A batch with any invalid event is rejected whole.',
        body: EventBatch,
        response: { 202: EventBatchAccepted, ...problemResponses },
      },
    },
    async (request, reply) => {
      const receivedAt = ctx.clock()
      const collected = collectEvents(request.body.events, receivedAt)
      if (!collected.ok)
        throw new AppError('validation_failed', collected.errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors: collected.errors })
      const { suppressed, gated, erased, stored } = await collector.collect({ events: collected.events, receivedAt })
      const notStored = new Set(erased)
      const duplicates = [
        ...collected.inBatchDuplicates,
        ...[...gated.kept, ...gated.aggregated].flatMap((e) => (stored.has(e.interaction.id) || notStored.has(e.interaction.id) ? [] : [e.interaction.id])),
      ]
      const aggregated = gated.aggregated.filter((e) => stored.has(e.interaction.id)).length
      const answer = {
        accepted: stored.size,
        duplicates,
        ...(aggregated > 0 ? { aggregated } : {}),
        ...(gated.dropped.length > 0 ? { dropped: gated.dropped } : {}),
        ...(suppressed.length > 0 ? { suppressed } : {}),
        ...(erased.length > 0 ? { erased } : {}),
      }
      outcomes.record(answer)
      return reply.code(202).send(answer)
    },
  )
}
