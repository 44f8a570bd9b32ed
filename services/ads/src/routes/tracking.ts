import { errors, problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { FastifyRequest } from 'fastify'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { hitTracker } from '../flows/track-hit.ts'
import { TokenQuery, Tracked } from '../schemas/decisions.ts'
import type { Serving } from '../serving/serving.ts'
import { isBotAgent, RepeatFilter } from '../tracking/bot-filter.ts'
import { type TrackingClaims, verifyToken } from '../tracking/token.ts'

/** Hits per caller per minute beyond which tracking treats the caller as a bot. */
const MAX_HITS_PER_MINUTE = 600

/**
 * Who is calling, for the repeat filter: the first X-Forwarded-For hop when a proxy (the ingress)
 * sets it, else the socket address. A spoofed header only lets a caller dodge this filter; the
 * once-per-decision rule still holds.
 */
function callerOf(request: FastifyRequest): string {
  const xff = request.headers['x-forwarded-for']
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim()
  return first || request.ip
}

export function trackingRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving) {
  const repeats = new RepeatFilter(MAX_HITS_PER_MINUTE)
  const hits = hitTracker(ctx, serving)
  const verify = (token: string): TrackingClaims => {
    const claims = verifyToken(ctx.config.ADS_SIGNING_SECRET, token)
    if (!claims) throw errors.invalid('/token', 'is not a valid tracking token', 'querystring')
    return claims
  }
  /** Why a verified hit is not counted, or undefined when it counts. */
  const ignored = (request: FastifyRequest, claims: TrackingClaims, kind: 'impression' | 'click'): string | undefined => {
    const now = ctx.clock().getTime()
    if (now - claims.t > ctx.config.ADS_TRACKING_TTL_SECONDS * 1000) return 'expired'
    if (isBotAgent(request.headers['user-agent'])) return 'bot user agent'
    if (kind === 'click' && now - claims.t < ctx.config.ADS_MIN_CLICK_MS) return 'click too soon after the decision'
    if (!repeats.allow(callerOf(request), now)) return 'too many hits from one caller'
    return undefined
  }

  app.get(
    '/v1/track/impression',
    {
      config: { scope: false },
      schema: {
        operationId: 'trackAdImpression',
        tags: ['tracking'],
        summary: 'Count an impression (signed link from a decision)',
        description:
          'Counted once per decision: repeats, expired links and bot-like hits (crawler user agents, too many hits from one caller) answer `counted: false` and change nothing. Charges CPM campaigns atomically against their budgets and publishes `ad_impression` on `attune.interactions`.',
        querystring: TokenQuery,
        response: { 200: Tracked, ...problemResponses },
      },
    },
    async (request) => {
      const claims = verify(request.query.token)
      const why = ignored(request, claims, 'impression')
      if (why) {
        request.log.info({ decisionId: claims.d, why }, 'impression ignored')
        return { counted: false }
      }
      return { counted: await hits.trackHit('impression', claims) }
    },
  )
  app.get(
    '/v1/track/click',
    {
      config: { scope: false },
      schema: {
        operationId: 'trackAdClick',
        tags: ['tracking'],
        summary: 'Count a click and redirect to the advertiser (signed link from a decision)',
        description:
          'Always redirects (302) to the ad’s click URL; the click is counted once per decision, not for bot-like hits or clicks sooner than ADS_MIN_CLICK_MS after the decision. Charges CPC campaigns atomically and publishes `ad_click` on `attune.interactions`.',
        querystring: TokenQuery,
        response: { 302: { type: 'null', description: 'To the advertiser' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const claims = verify(request.query.token)
      const target =
        serving.catalog?.ads.get(claims.a)?.clickUrl ??
        (await ctx.db.selectFrom('ads').select('clickUrl').where('adId', '=', claims.a).executeTakeFirst())?.clickUrl
      if (!target) throw errors.notFound('Ad', claims.a)
      const why = ignored(request, claims, 'click')
      const counted = why ? false : await hits.trackHit('click', claims)
      if (why) request.log.info({ decisionId: claims.d, why }, 'click ignored')
      return reply.header('x-attune-counted', String(counted)).redirect(target, 302)
    },
  )
}
