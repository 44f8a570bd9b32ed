import { Topics } from '@attune/contracts'
import { AppError, makeEvent, problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { collectEvents, interactionRecorded, recordedData } from '../domain/collect-events.ts'
import { gateByConsent } from '../domain/consent-gate.ts'
import { consentState } from '../domain/consents.ts'
import { EventBatch, EventBatchAccepted } from '../schemas/events.ts'
import { applyInteractionTraits } from '../store/apply-interaction-traits.ts'
import { analyticsConsents } from '../store/consents-store.ts'
import { insertNewEvents } from '../store/events-store.ts'

export function eventRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  app.post(
    '/v1/events',
    {
      config: { scope: 'events:write' },
      schema: {
        operationId: 'collectEvents',
        tags: ['events'],
        summary: 'Collect a batch of interaction events',
        description:
          'Stores up to 500 interactions and publishes them on `attune.interactions`. Each event id is an idempotency key: ids already stored are reported in `duplicates` and not stored or published again. A batch with any invalid event is rejected whole.',
        body: EventBatch,
        response: { 202: EventBatchAccepted, ...problemResponses },
      },
    },
    async (request, reply) => {
      const receivedAt = ctx.clock()
      const collected = collectEvents(request.body.events, receivedAt)
      if (!collected.ok)
        throw new AppError('validation_failed', collected.errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors: collected.errors })
      const userIds = collected.events.flatMap((e) => (e.interaction.userId ? [e.interaction.userId] : []))
      const consents = await analyticsConsents(ctx.db, userIds, receivedAt)
      const gated = gateByConsent(
        collected.events,
        (e) => consentState(e.interaction.userId ? consents.get(e.interaction.userId) : undefined, receivedAt),
        ctx.config.ANALYTICS_WITHOUT_CONSENT,
      )
      const toStore = [...gated.kept, ...gated.aggregated]
      const stored = await ctx.transaction(async (trx, emit) => {
        const fresh = await insertNewEvents(trx, toStore, receivedAt)
        // Traits in the same transaction: current as soon as the batch is acknowledged, and
        // counted once, since only ids new to the store get here.
        await applyInteractionTraits(
          trx,
          ctx.schema,
          toStore.filter((e) => fresh.has(e.interaction.id)).map((e) => ({ interaction: e.interaction, receivedAt })),
          receivedAt,
          request.log,
        )
        const topic = ctx.topic(Topics.interactions)
        await emit(
          toStore
            .filter((e) => fresh.has(e.interaction.id))
            .map((e) => ({
              topic,
              key: e.subject,
              event: makeEvent(
                { ...interactionRecorded, source: ctx.name, subject: e.subject, data: recordedData(e, receivedAt), time: e.occurredAt },
                receivedAt,
              ),
            })),
        )
        return fresh
      })
      const duplicates = [...collected.inBatchDuplicates, ...toStore.filter((e) => !stored.has(e.interaction.id)).map((e) => e.interaction.id)]
      const aggregated = gated.aggregated.filter((e) => stored.has(e.interaction.id)).length
      return reply.code(202).send({
        accepted: stored.size,
        duplicates,
        ...(aggregated > 0 ? { aggregated } : {}),
        ...(gated.dropped.length > 0 ? { dropped: gated.dropped } : {}),
      })
    },
  )
}
