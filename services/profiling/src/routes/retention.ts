import { problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { RetentionRun } from '../schemas/retention.ts'
import { runRetention } from '../store/retention-store.ts'

export function retentionRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  app.post(
    '/v1/privacy/retention/run',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'runRetention',
        tags: ['privacy'],
        summary: 'Purge raw events past retention now',
        description:
          'Deletes raw events that happened more than `EVENT_RETENTION_DAYS` days ago (the periodic job does the same every `EVENT_RETENTION_INTERVAL_MS`). Profiles and traits aggregated from them stay.',
        response: { 200: RetentionRun, ...problemResponses },
      },
    },
    async (request) => {
      const { purged, cutoff } = await runRetention(ctx.db, ctx.clock(), ctx.config.EVENT_RETENTION_DAYS)
      request.log.info({ purged }, 'retention run')
      return { purged, cutoff: cutoff.toISOString() }
    },
  )
}
