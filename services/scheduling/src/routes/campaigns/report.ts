import { errors, problemResponses, ref, type ServiceApp } from '@attune/kit'
import { upliftOf } from '../../domain/uplift.ts'
import type { CampaignDeps } from '../../planning/campaigns.ts'
import { CampaignParams, CampaignReport } from '../../schemas/campaigns.ts'
import { getCampaign } from '../../store/campaigns-store.ts'
import { campaignOutcomes, statusCounts } from '../../store/deliveries-store.ts'
import { ATTRIBUTION_WINDOW_HOURS } from '../../store/engagement-store.ts'

export function campaignReportRoutes(app: ServiceApp, deps: CampaignDeps) {
  const { ctx } = deps
  app.get(
    '/v1/campaigns/:campaignId/report',
    {
      schema: {
        operationId: 'getCampaignReport',
        tags: ['campaigns'],
        summary: 'Engagement of personalized timing against the random-time holdout, and what the guards did',
        description: `A delivery counts as engaged when its user engaged within ${ATTRIBUTION_WINDOW_HOURS} h after it was sent.`,
        params: CampaignParams,
        response: { 200: ref(CampaignReport), ...problemResponses },
      },
    },
    async (request) => {
      const { campaignId } = request.params
      if (!(await getCampaign(ctx.db, campaignId))) throw errors.notFound('Campaign', campaignId)
      const [counts, outcomes] = await Promise.all([statusCounts(ctx.db, [campaignId]), campaignOutcomes(ctx.db, ctx.schema, campaignId)])
      const c = counts.get(campaignId) ?? { scheduled: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0 }
      const group = (g: string) => outcomes.groups.find((x) => x.grp === g) ?? { sent: 0, engaged: 0 }
      const p = group('personalized')
      const h = group('holdout')
      const u = upliftOf(p, h)
      return {
        campaignId,
        deliveries: { total: Object.values(c).reduce((a, b) => a + b, 0), ...c },
        personalized: { sent: p.sent, engaged: p.engaged, rate: u.personalizedRate },
        holdout: { sent: h.sent, engaged: h.engaged, rate: u.holdoutRate },
        uplift: { absolute: u.absolute, relative: u.relative },
        attributionWindowHours: ATTRIBUTION_WINDOW_HOURS,
        guards: outcomes.guards.map((g) => ({ guard: g.guard, action: g.action, deliveries: g.n })),
      }
    },
  )
}
