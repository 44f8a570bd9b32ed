import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { Type } from 'typebox'
import { v7 as uuidv7 } from 'uuid'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { Deleted, IdParams, Uuid } from '../schemas/common.ts'
import { Ad, AdInput, AdList } from '../schemas/creatives.ts'
import type { Serving } from '../serving/serving.ts'
import { deleteAd, getAd, insertAd, listAds, toAd, updateAd } from '../store/ads-store.ts'
import { getCampaign } from '../store/campaigns-store.ts'
import { retireCopyVariants } from '../store/copy-variants-store.ts'

const CampaignParams = IdParams('campaignId')
const AdParams = Type.Object({ adId: Uuid }, { additionalProperties: false })

export function adRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving) {
  const tags = ['ads']
  app.post(
    '/v1/campaigns/:campaignId/ads',
    {
      schema: {
        operationId: 'createAd',
        tags,
        summary: 'Add an ad (creative) to a campaign',
        description:
          'Title, body, image, click URL, format (it serves in placements of that format) and IAB categories. A new ad starts from the cold-start CTR prior.',
        params: CampaignParams,
        body: ref(AdInput),
        response: { 201: ref(Ad), ...problemResponses },
      },
    },
    async (request, reply) => {
      const campaignId = request.params.campaignId as string
      if (!(await getCampaign(ctx.db, campaignId))) throw errors.notFound('Campaign', campaignId)
      const row = await insertAd(ctx.db, uuidv7(), campaignId, request.body, ctx.clock())
      await serving.changed()
      return reply.code(201).send(toAd(row))
    },
  )
  app.get(
    '/v1/campaigns/:campaignId/ads',
    { schema: { operationId: 'listAds', tags, summary: 'The ads of a campaign', params: CampaignParams, response: { 200: AdList, ...problemResponses } } },
    async (request) => ({ ads: (await listAds(ctx.db, request.params.campaignId as string)).map(toAd) }),
  )
  app.get(
    '/v1/ads/:adId',
    { schema: { operationId: 'getAd', tags, summary: 'One ad', params: AdParams, response: { 200: ref(Ad), ...problemResponses } } },
    async (request) => {
      const row = await getAd(ctx.db, request.params.adId)
      if (!row) throw errors.notFound('Ad', request.params.adId)
      return toAd(row)
    },
  )
  app.put(
    '/v1/ads/:adId',
    {
      schema: {
        operationId: 'updateAd',
        tags,
        summary: 'Replace an ad',
        description: 'A change of title or body rejects the ad’s pending and approved copy variants: they were written from the old text.',
        params: AdParams,
        body: ref(AdInput),
        response: { 200: ref(Ad), ...problemResponses },
      },
    },
    async (request) => {
      const now = ctx.clock()
      const row = await ctx.transaction(async (trx) => {
        const before = await getAd(trx, request.params.adId)
        if (!before) return undefined
        const after = await updateAd(trx, request.params.adId, request.body, now)
        if (after && (after.title !== before.title || after.body !== before.body)) await retireCopyVariants(trx, request.params.adId, now)
        return after
      })
      if (!row) throw errors.notFound('Ad', request.params.adId)
      await serving.changed()
      return toAd(row)
    },
  )
  app.delete(
    '/v1/ads/:adId',
    {
      schema: { operationId: 'deleteAd', tags, summary: 'Delete an ad (report rows stay)', params: AdParams, response: { 204: Deleted, ...problemResponses } },
    },
    async (request, reply) => {
      if (!(await deleteAd(ctx.db, request.params.adId))) throw errors.notFound('Ad', request.params.adId)
      await serving.changed()
      return reply.code(204).send(null)
    },
  )
}
