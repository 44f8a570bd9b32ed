import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { modelRegistryFor } from '../models/model-registry.ts'
import { ModelStatus } from '../schemas/recommendations.ts'

export function modelRoutes(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  const models = modelRegistryFor(ctx)

  app.get(
    '/v1/models/current',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getModelStatus',
        tags: ['models'],
        summary: 'The model this replica serves',
        response: { 200: ref(ModelStatus), ...problemResponses },
      },
    },
    async () => models.current(),
  )

  app.post(
    '/v1/models/train',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'trainModel',
        tags: ['models'],
        summary: 'Train now on the current interactions and catalog, and serve the result',
        description: 'Answers when training is done. Training also runs periodically; a request during a run waits for that run.',
        response: { 200: ref(ModelStatus), ...problemResponses },
      },
    },
    async () => models.train(ctx.db, ctx.clock()),
  )

  app.addHook('onClose', async () => models.close())
}
