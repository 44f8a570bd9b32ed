import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { SentimentDb } from '../db.ts'
import { AlertsQuery, SpikeAlertList } from '../schemas/alerts.ts'
import { listAlerts } from '../store/alerts-store.ts'

export function alertRoutes(app: ServiceApp, ctx: ServiceContext<SentimentDb>) {
  app.get(
    '/v1/sentiment/alerts',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listSentimentAlerts',
        tags: ['alerts'],
        summary: 'Spikes of negative sentiment on items and topics',
        description: 'Each alert was also published as `sentiment.spike-detected` on `attune.sentiment`.',
        querystring: AlertsQuery,
        response: { 200: ref(SpikeAlertList), ...problemResponses },
      },
    },
    async (request) => {
      const rows = await listAlerts(ctx.db, request.query)
      return {
        alerts: rows.map((r) => ({
          ...r,
          windowStart: r.windowStart.toISOString(),
          windowEnd: r.windowEnd.toISOString(),
          detectedAt: r.detectedAt.toISOString(),
        })),
      }
    },
  )
}
