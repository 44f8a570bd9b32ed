import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { Report, ReportQuery } from '../schemas/reports.ts'
import { report } from '../store/reports-store.ts'

export function reportRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>) {
  app.get(
    '/v1/reports',
    {
      schema: {
        operationId: 'getAdReport',
        tags: ['reports'],
        summary: 'Impressions, clicks, CTR, spend and eCPM by campaign, ad, placement or day',
        description: 'Counted impressions and clicks (repeats and bot-like hits excluded); days are UTC.',
        querystring: ReportQuery,
        response: { 200: ref(Report), ...problemResponses },
      },
    },
    async (request) => ({ groupBy: request.query.groupBy, rows: await report(ctx.db, request.query) }),
  )
}
