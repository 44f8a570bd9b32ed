import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { GenerationConfig } from '../config.ts'
import type { GenerationDb } from '../db.ts'
import type { GenerationMemory } from '../memory/generation-memory.ts'
import { Policy, PolicyInput, PolicyParams, UsageReport } from '../schemas/reviews.ts'
import type { Settings } from '../settings.ts'
import { policyFor, savePolicy } from '../store/policies-store.ts'
import { usageOf, utcDay } from '../store/usage-store.ts'

export function policyRoutes(
  app: ServiceApp,
  ctx: ServiceContext<GenerationDb, GenerationConfig>,
  settings: Settings,
  memory: Pick<GenerationMemory, 'policies' | 'outputs'>,
) {
  app.get(
    '/v1/policies/:use',
    {
      schema: {
        operationId: 'getReviewPolicy',
        tags: ['reviews'],
        summary: 'Moderation and review thresholds of a use',
        params: PolicyParams,
        response: { 200: ref(Policy), ...problemResponses },
      },
    },
    async (request) => ({ ...(await policyFor(ctx.db, request.params.use)), use: request.params.use }),
  )
  app.put(
    '/v1/policies/:use',
    {
      schema: {
        operationId: 'setReviewPolicy',
        tags: ['reviews'],
        summary: 'Set the thresholds of a use',
        description: '`blockThreshold` must not be below `flagThreshold` (an input refused must at least be flagged).',
        params: PolicyParams,
        body: PolicyInput,
        response: { 200: ref(Policy), ...problemResponses },
      },
    },
    async (request) => {
      const p = { use: request.params.use, ...request.body }
      if (p.blockThreshold < p.flagThreshold) throw errors.invalid('/blockThreshold', 'must be at least flagThreshold')
      // Other replicas apply it once their cached policy is older than the cache's TTL.
      await savePolicy(ctx.db, p, ctx.clock()).finally(() => memory.policies.invalidate(p.use))
      return p
    },
  )
  app.get(
    '/v1/usage',
    {
      config: { scope: 'recommendations:read' },
      schema: {
        operationId: 'getTokenUsage',
        tags: ['generate'],
        summary: 'Today’s token usage and budget of the calling API key',
        response: { 200: ref(UsageReport), ...problemResponses },
      },
    },
    async (request) => {
      const name = request.apiKey?.name ?? 'anonymous'
      const day = utcDay(ctx.clock())
      // This replica's returned outputs not written yet count too.
      await memory.outputs.flush()
      return { apiKey: name, day, ...(await usageOf(ctx.db, name, day)), budget: settings.budget(name) }
    },
  )
}
