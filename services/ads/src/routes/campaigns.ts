import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { v7 as uuidv7 } from 'uuid'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { Campaign, CampaignInput, CampaignList, CampaignQuery } from '../schemas/campaigns.ts'
import { Deleted, IdParams } from '../schemas/common.ts'
import type { Serving } from '../serving/serving.ts'
import { getAdvertiser } from '../store/advertisers-store.ts'
import { deleteCampaign, getCampaign, insertCampaign, listCampaigns, toCampaign, updateCampaign } from '../store/campaigns-store.ts'

const Params = IdParams('campaignId')

/** Rules across fields that a schema cannot say; each failure names its field. */
async function checkCampaign(ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving, input: CampaignInput, now: Date): Promise<void> {
  if (input.dailyBudget != null && input.dailyBudget > input.totalBudget) throw errors.invalid('/dailyBudget', 'must not be more than totalBudget')
  const start = input.startAt ? new Date(input.startAt) : now
  if (input.endAt && new Date(input.endAt) <= start) throw errors.invalid('/endAt', 'must be after startAt')
  if (!(await getAdvertiser(ctx.db, input.advertiserId))) throw errors.invalid('/advertiserId', `is not a known advertiser (${input.advertiserId})`)
  await serving.live()
  for (const [i, id] of (input.placementIds ?? []).entries()) {
    if (!serving.placements.has(id)) throw errors.invalid(`/placementIds/${i}`, `is not a known placement (${id})`)
  }
}

export function campaignRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving) {
  const tags = ['campaigns']
  app.post(
    '/v1/campaigns',
    {
      schema: {
        operationId: 'createCampaign',
        tags,
        summary: 'Create a campaign',
        description:
          'Budgets (total, and per UTC day), flight (start/end), pacing, priority tier, CPM or CPC price, targeting and a per-user frequency cap. Its ads are added with `POST /v1/campaigns/{campaignId}/ads`.',
        body: ref(CampaignInput),
        response: { 201: ref(Campaign), ...problemResponses },
      },
    },
    async (request, reply) => {
      const now = ctx.clock()
      await checkCampaign(ctx, serving, request.body, now)
      const row = await insertCampaign(ctx.db, uuidv7(), request.body, now)
      await serving.changed()
      return reply.code(201).send(toCampaign(row))
    },
  )
  app.get(
    '/v1/campaigns',
    {
      schema: {
        operationId: 'listCampaigns',
        tags,
        summary: 'Campaigns, newest first (of one advertiser if asked)',
        querystring: CampaignQuery,
        response: { 200: CampaignList, ...problemResponses },
      },
    },
    async (request) => ({ campaigns: (await listCampaigns(ctx.db, request.query.advertiserId)).map(toCampaign) }),
  )
  app.get(
    '/v1/campaigns/:campaignId',
    {
      schema: {
        operationId: 'getCampaign',
        tags,
        summary: 'One campaign, with what it spent',
        params: Params,
        response: { 200: ref(Campaign), ...problemResponses },
      },
    },
    async (request) => {
      const row = await getCampaign(ctx.db, request.params.campaignId as string)
      if (!row) throw errors.notFound('Campaign', request.params.campaignId as string)
      return toCampaign(row)
    },
  )
  app.put(
    '/v1/campaigns/:campaignId',
    {
      schema: {
        operationId: 'updateCampaign',
        tags,
        summary: 'Replace a campaign (what it spent stays)',
        params: Params,
        body: ref(CampaignInput),
        response: { 200: ref(Campaign), ...problemResponses },
      },
    },
    async (request) => {
      const id = request.params.campaignId as string
      const now = ctx.clock()
      if (!(await getCampaign(ctx.db, id))) throw errors.notFound('Campaign', id)
      await checkCampaign(ctx, serving, request.body, now)
      const row = await updateCampaign(ctx.db, id, request.body, now)
      if (!row) throw errors.notFound('Campaign', id)
      await serving.changed()
      return toCampaign(row)
    },
  )
  app.delete(
    '/v1/campaigns/:campaignId',
    {
      schema: {
        operationId: 'deleteCampaign',
        tags,
        summary: 'Delete a campaign and its ads (report rows stay)',
        params: Params,
        response: { 204: Deleted, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await deleteCampaign(ctx.db, request.params.campaignId as string))) throw errors.notFound('Campaign', request.params.campaignId as string)
      await serving.changed()
      return reply.code(204).send(null)
    },
  )
}
