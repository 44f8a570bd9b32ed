import { errors, problemRef, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { GenerationClient } from '../clients/generation-client.ts'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { requestCopyVariants } from '../flows/request-copy.ts'
import { AdParams, CopyVariantList, CopyVariantQuery, CopyVariantRequest } from '../schemas/copy-variants.ts'
import type { CopySync } from '../serving/copy-sync.ts'
import { getAd } from '../store/ads-store.ts'
import { listCopyVariants, toCopyVariant } from '../store/copy-variants-store.ts'

export function copyVariantRoutes(
  app: ServiceApp,
  ctx: ServiceContext<AdsDb, AdsConfig>,
  generation: GenerationClient | undefined,
  copySync: CopySync | undefined,
) {
  const tags = ['ads']
  app.post(
    '/v1/ads/:adId/copy-variants',
    {
      schema: {
        operationId: 'requestAdCopyVariants',
        tags,
        summary: 'Have variants of an ad’s text written for a segment',
        description:
          'Asks the generation service (`POST /v1/generate`, use `ad_copy`, meant for publishing, with an optional brand voice) for `n` variants of the ad’s body written for a profiling segment. ' +
          'They are moderated there and wait in its review queue: each is `pending` until a reviewer decides; the approved (or edited) one then replaces the ad’s body in personalized decisions for users in the segment, the others are `rejected` and never used. ' +
          'Without GENERATION_URL the answer is 503 saying generation is not configured; generation unreachable or over budget is 503, a brief its moderation blocks 422, an unknown brand voice 400 naming `/voiceId`.',
        params: AdParams,
        body: ref(CopyVariantRequest),
        response: { 201: ref(CopyVariantList), 422: problemRef, 502: problemRef, 503: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => {
      const variants = await requestCopyVariants(ctx.db, generation, request.params.adId, request.body, ctx.clock())
      return reply.code(201).send({ variants })
    },
  )
  app.get(
    '/v1/ads/:adId/copy-variants',
    {
      schema: {
        operationId: 'listAdCopyVariants',
        tags,
        summary: 'The copy variants of an ad, newest first',
        description:
          'Pending variants are checked against the generation review queue first (also done every ADS_COPY_SYNC_MS); when generation cannot be reached, the last known state is returned.',
        params: AdParams,
        querystring: CopyVariantQuery,
        response: { 200: ref(CopyVariantList), ...problemResponses },
      },
    },
    async (request) => {
      const { adId } = request.params
      if (!(await getAd(ctx.db, adId))) throw errors.notFound('Ad', adId)
      if (copySync) {
        try {
          await copySync.run(adId)
        } catch (err) {
          request.log.warn({ err }, 'copy review sync failed')
        }
      }
      const rows = await listCopyVariants(ctx.db, adId, { segmentId: request.query.segmentId, status: request.query.status })
      return { variants: rows.map(toCopyVariant) }
    },
  )
}
