import { AdDecisionRequest } from '@attune/contracts'
import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { explain } from '../domain/why.ts'
import { DecisionJson } from '../flows/decision-json.ts'
import { makeDecision } from '../flows/make-decision.ts'
import { DecisionParams, DecisionResponse, Why } from '../schemas/decisions.ts'
import type { Serving } from '../serving/serving.ts'
import { copyAudience } from '../store/copy-variants-store.ts'

export function decisionRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving) {
  const json = new DecisionJson(ctx.config.ADS_PUBLIC_URL)
  app.post(
    '/v1/decisions',
    {
      config: { scope: 'recommendations:read' },
      schema: {
        operationId: 'decideAds',
        tags: ['decisions'],
        summary: 'Choose an ad for each placement of a page',
        description:
          'For each placement, the ad with the best sampled expected value (price × predicted CTR, Thompson sampling) within the highest priority tier that has an eligible ad, or null; never the same ad twice per request. Targeting uses the page (keywords, URL, IAB categories given or inferred from `context.text`, language, country) and, only with ad-personalization consent and the non-personalized switch off, the user (segments, followed topics, frequency caps). Each ad comes with signed impression and click tracking links. A public key may call it.',
        body: ref(AdDecisionRequest),
        response: { 200: ref(DecisionResponse), ...problemResponses },
      },
    },
    async (request, reply) => {
      const d = await makeDecision(serving, ctx.config, request.body, ctx.clock())
      // A DecisionResponse already serialized (see DecisionJson): Fastify sends a string as it is.
      const body = json.write(d.requestId, d.personalized, d.placements) as unknown as DecisionResponse
      return reply.type('application/json; charset=utf-8').send(body)
    },
  )
  app.get(
    '/v1/decisions/:decisionId/why',
    {
      config: { scope: false },
      schema: {
        operationId: 'explainAdDecision',
        tags: ['decisions'],
        summary: 'Why this ad? (EU DSA art. 26)',
        description:
          'Who paid for the ad, the targeting that matched, whether it was personalized, in plain words. Open (decision ids are unguessable), so a page can link to it directly.',
        params: DecisionParams,
        response: { 200: ref(Why), ...problemResponses },
      },
    },
    async (request) => {
      const d = await serving.decisions.find(request.params.decisionId)
      if (!d) throw errors.notFound('Decision', request.params.decisionId)
      const reasons = d.reasons
      const advertiser =
        serving.catalog?.campaigns.get(d.campaignId)?.advertiserName ??
        (
          await ctx.db
            .selectFrom('campaigns as c')
            .innerJoin('advertisers as a', 'a.advertiserId', 'c.advertiserId')
            .select('a.name')
            .where('c.campaignId', '=', d.campaignId)
            .executeTakeFirst()
        )?.name ??
        null
      const copy =
        d.copyVariantId && d.copySegmentId
          ? {
              variantId: d.copyVariantId,
              segmentId: d.copySegmentId,
              audience: serving.catalog?.ads.get(d.adId)?.copies?.get(d.copySegmentId)?.audience ?? (await copyAudience(ctx.db, d.copyVariantId)),
            }
          : null
      return {
        decisionId: d.decisionId,
        adId: d.adId,
        campaignId: d.campaignId,
        advertiser,
        tier: d.tier,
        personalized: d.personalized,
        matched: reasons,
        propensity: d.propensity,
        adaptedCopy: copy,
        explanation: explain({ advertiserName: advertiser, tier: d.tier, personalized: d.personalized, reasons, copy: copy ?? undefined }),
        decidedAt: d.createdAt.toISOString(),
      }
    },
  )
}
