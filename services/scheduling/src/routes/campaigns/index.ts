import { errors, problemRef, problemResponses, ref, type ServiceApp } from '@attune/kit'
import { type CampaignDeps, cancelCampaign, createCampaign, readCampaign, rescheduleCampaign } from '../../planning/campaigns.ts'
import { Campaign, CampaignInput, CampaignParams, RescheduleInput } from '../../schemas/campaigns.ts'
import { campaignDeliveryRoutes } from './deliveries.ts'
import { campaignReportRoutes } from './report.ts'

export function campaignRoutes(app: ServiceApp, deps: CampaignDeps) {
  app.post(
    '/v1/campaigns',
    {
      schema: {
        operationId: 'createCampaign',
        tags: ['campaigns'],
        summary: 'Schedule content for a channel to a user list or a segment',
        description:
          'Plans one delivery per recipient at once, in one transaction: the strategy picks the time, then quiet hours (moved to the nearest allowed edge), frequency caps, channel opt-ins and consents apply; every move or skip is noted on the delivery. `holdoutShare` of the recipients get a random time in the window, for the uplift report.',
        body: ref(CampaignInput),
        response: { 201: ref(Campaign), 422: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createCampaign(deps, request.body)),
  )

  app.get(
    '/v1/campaigns/:campaignId',
    {
      schema: {
        operationId: 'getCampaign',
        tags: ['campaigns'],
        summary: 'A campaign with its deliveries counted by status',
        params: CampaignParams,
        response: { 200: ref(Campaign), ...problemResponses },
      },
    },
    async (request) => readCampaign(deps, request.params.campaignId),
  )

  app.post(
    '/v1/campaigns/:campaignId/cancel',
    {
      schema: {
        operationId: 'cancelCampaign',
        tags: ['campaigns'],
        summary: 'Cancel every delivery not sent yet',
        description: 'A delivery being sent at this moment finishes first; deliveries already sent are unchanged.',
        params: CampaignParams,
        response: { 200: ref(Campaign), ...problemResponses },
      },
    },
    async (request) => cancelCampaign(deps, request.params.campaignId),
  )

  app.post(
    '/v1/campaigns/:campaignId/reschedule',
    {
      schema: {
        operationId: 'rescheduleCampaign',
        tags: ['campaigns'],
        summary: 'Move a campaign to a new time or window',
        description: 'Deliveries not sent yet are planned again with every guard, each keeping its group (personalized or holdout).',
        params: CampaignParams,
        body: ref(RescheduleInput),
        response: { 200: ref(Campaign), 409: problemRef, ...problemResponses },
      },
    },
    async (request) => {
      if (!request.body.sendAt && !request.body.window) throw errors.invalid('/sendAt', 'or window is required')
      return rescheduleCampaign(deps, request.params.campaignId, request.body)
    },
  )

  campaignDeliveryRoutes(app, deps)
  campaignReportRoutes(app, deps)
}
