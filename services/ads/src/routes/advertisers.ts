import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { v7 as uuidv7 } from 'uuid'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { Advertiser, AdvertiserInput, AdvertiserList } from '../schemas/advertisers.ts'
import { Deleted, IdParams } from '../schemas/common.ts'
import type { Serving } from '../serving/serving.ts'
import { deleteAdvertiser, getAdvertiser, insertAdvertiser, listAdvertisers, toAdvertiser, updateAdvertiser } from '../store/advertisers-store.ts'

const Params = IdParams('advertiserId')

export function advertiserRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving) {
  const tags = ['campaigns']
  app.post(
    '/v1/advertisers',
    {
      schema: {
        operationId: 'createAdvertiser',
        tags,
        summary: 'Create an advertiser',
        description: 'An advertiser owns campaigns; its blocked categories keep its ads off pages of those categories (brand safety).',
        body: ref(AdvertiserInput),
        response: { 201: ref(Advertiser), ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(toAdvertiser(await insertAdvertiser(ctx.db, uuidv7(), request.body, ctx.clock()))),
  )
  app.get(
    '/v1/advertisers',
    { schema: { operationId: 'listAdvertisers', tags, summary: 'All advertisers, by name', response: { 200: AdvertiserList, ...problemResponses } } },
    async () => ({ advertisers: (await listAdvertisers(ctx.db)).map(toAdvertiser) }),
  )
  app.get(
    '/v1/advertisers/:advertiserId',
    { schema: { operationId: 'getAdvertiser', tags, summary: 'One advertiser', params: Params, response: { 200: ref(Advertiser), ...problemResponses } } },
    async (request) => {
      const row = await getAdvertiser(ctx.db, request.params.advertiserId as string)
      if (!row) throw errors.notFound('Advertiser', request.params.advertiserId as string)
      return toAdvertiser(row)
    },
  )
  app.put(
    '/v1/advertisers/:advertiserId',
    {
      schema: {
        operationId: 'updateAdvertiser',
        tags,
        summary: 'Replace an advertiser',
        params: Params,
        body: ref(AdvertiserInput),
        response: { 200: ref(Advertiser), ...problemResponses },
      },
    },
    async (request) => {
      const row = await updateAdvertiser(ctx.db, request.params.advertiserId as string, request.body, ctx.clock())
      if (!row) throw errors.notFound('Advertiser', request.params.advertiserId as string)
      await serving.changed()
      return toAdvertiser(row)
    },
  )
  app.delete(
    '/v1/advertisers/:advertiserId',
    {
      schema: {
        operationId: 'deleteAdvertiser',
        tags,
        summary: 'Delete an advertiser with its campaigns and ads (report rows stay)',
        params: Params,
        response: { 204: Deleted, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await deleteAdvertiser(ctx.db, request.params.advertiserId as string))) throw errors.notFound('Advertiser', request.params.advertiserId as string)
      await serving.changed()
      return reply.code(204).send(null)
    },
  )
}
