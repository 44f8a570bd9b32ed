import { errors, problemResponses, ref, type ServiceApp } from '@attune/kit'
import type { CampaignDeps } from '../../planning/campaigns.ts'
import { CampaignParams, DeliveriesQuery, type Delivery, DeliveryPage, DeliveryParams, Delivery as DeliverySchema } from '../../schemas/campaigns.ts'
import { getCampaign } from '../../store/campaigns-store.ts'
import { cancelDelivery, type Delivery as DeliveryRow, getDelivery, listDeliveries } from '../../store/deliveries-store.ts'

export function deliveryView(d: DeliveryRow): Delivery {
  return {
    deliveryId: d.deliveryId,
    campaignId: d.campaignId,
    userId: d.userId,
    channel: d.channel,
    group: d.grp,
    status: d.status,
    sendAt: d.sendAt.toISOString(),
    preferredAt: d.preferredAt.toISOString(),
    reason: d.reason,
    notes: d.notes,
    attempts: d.attempts,
    lastError: d.lastError,
    sentAt: d.sentAt?.toISOString() ?? null,
    engagedAt: d.engagedAt?.toISOString() ?? null,
  }
}

export function campaignDeliveryRoutes(app: ServiceApp, deps: CampaignDeps) {
  const { ctx } = deps
  app.get(
    '/v1/campaigns/:campaignId/deliveries',
    {
      schema: {
        operationId: 'listCampaignDeliveries',
        tags: ['deliveries'],
        summary: 'A campaign’s deliveries with their status, time, reason and guard notes',
        params: CampaignParams,
        querystring: DeliveriesQuery,
        response: { 200: ref(DeliveryPage), ...problemResponses },
      },
    },
    async (request) => {
      const { campaignId } = request.params
      if (!(await getCampaign(ctx.db, campaignId))) throw errors.notFound('Campaign', campaignId)
      const rows = await listDeliveries(ctx.db, campaignId, request.query)
      return { deliveries: rows.map(deliveryView), next: rows.length === request.query.limit ? (rows.at(-1)?.deliveryId ?? null) : null }
    },
  )

  app.get(
    '/v1/deliveries/:deliveryId',
    {
      schema: {
        operationId: 'getDelivery',
        tags: ['deliveries'],
        summary: 'One delivery',
        params: DeliveryParams,
        response: { 200: ref(DeliverySchema), ...problemResponses },
      },
    },
    async (request) => {
      const d = await getDelivery(ctx.db, request.params.deliveryId)
      if (!d) throw errors.notFound('Delivery', request.params.deliveryId)
      return deliveryView(d)
    },
  )

  app.post(
    '/v1/deliveries/:deliveryId/cancel',
    {
      schema: {
        operationId: 'cancelDelivery',
        tags: ['deliveries'],
        summary: 'Cancel one delivery if it is not sent yet',
        description: 'Returns the delivery as it now is: `cancelled`, or its final status if it had already gone out; 409 while a dispatcher is sending it.',
        params: DeliveryParams,
        response: { 200: ref(DeliverySchema), ...problemResponses },
      },
    },
    async (request) => {
      const d = await cancelDelivery(ctx.db, request.params.deliveryId, ctx.clock())
      if (!d) throw errors.notFound('Delivery', request.params.deliveryId)
      // Still scheduled after the cancel: a dispatcher holds it and is sending it now.
      if (d.status === 'scheduled') throw errors.conflict('The delivery is being sent right now and can no longer be cancelled; read it again for its outcome')
      return deliveryView(d)
    },
  )
}
