import { type AnyEvent, Item } from '@attune/contracts'
import type { ConsumerDefinition, ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import { type RecommendationConfig, RecommendationConfigSchema } from './config.ts'
import { identityMergesConsumer } from './consumers/identity-merges-consumer.ts'
import { interactionsConsumer } from './consumers/interactions-consumer.ts'
import { preferencesConsumer } from './consumers/preferences-consumer.ts'
import { segmentsConsumer } from './consumers/segments-consumer.ts'
import type { RecommendationDb } from './db.ts'
import { parseInteractionWeights } from './domain/interaction-weights.ts'
import { usersChangedBy } from './domain/users-changed.ts'
import { servingListeners } from './listeners/serving-listeners.ts'
import { modelRegistryFor } from './models/model-registry.ts'
import { itemRoutes } from './routes/items/index.ts'
import { modelRoutes } from './routes/models.ts'
import { recommendationRoutes } from './routes/recommendations.ts'
import { trendingRoutes } from './routes/trending.ts'
import { ItemInput, ItemPage } from './schemas/items.ts'
import { Explanation, ModelStatus, Slate } from './schemas/recommendations.ts'
import { servingFor } from './serving/serving.ts'
import { eraseUser } from './store/erase-user.ts'
import { exportUser } from './store/export-user.ts'
import { purgeServed } from './store/served-store.ts'

/** How often each replica retrains when MODEL_TRAINING_INTERVAL_MS is not set. */
const DEFAULT_TRAINING_INTERVAL_MS = 600_000

/** Recommendation: the catalog, and what the recommenders learn from the interaction and profile streams; trending. */
export const recommendation: ServiceDefinition<RecommendationDb, RecommendationConfig> = {
  name: 'recommendation',
  version: '0.1.0',
  description: 'Personalized content and news recommendations, trending, similar items and social feeds.',
  tags: [
    { name: 'catalog', description: 'The items that can be recommended' },
    { name: 'recommendations', description: 'Personalized recommendations, feeds and similar items, each explained' },
    { name: 'trending', description: 'Popularity across all users' },
    { name: 'models', description: 'Training and status of the recommender model' },
  ],
  migrations,
  configSchema: RecommendationConfigSchema,
  schemas: [Item, ItemInput, ItemPage, Explanation, Slate, ModelStatus],
  routes(app, ctx) {
    itemRoutes(app, ctx)
    trendingRoutes(app, ctx)
    recommendationRoutes(app, ctx)
    modelRoutes(app, ctx)
  },
  consumers: (ctx) => {
    const weights = parseInteractionWeights(ctx.config.INTERACTION_WEIGHTS)
    // This replica's cache drops the users before the change is written and again once it commits,
    // so no request can keep what was read in between; other replicas learn by their listeners.
    const serving = servingFor(ctx)
    const changed = (events: AnyEvent[]) => serving.changed(usersChangedBy(events))
    return [interactionsConsumer(weights), preferencesConsumer, segmentsConsumer, identityMergesConsumer].map(
      (c): ConsumerDefinition<RecommendationDb> => ({
        ...c,
        handle: (trx, events) => {
          changed(events)
          return c.handle(trx, events)
        },
        afterCommit: changed,
      }),
    )
  },
  listeners: (ctx) => servingListeners(servingFor(ctx), modelRegistryFor(ctx)),
  privacy: { erase: eraseUser, export: exportUser },
  jobs: (ctx) => [
    {
      name: 'model-training',
      intervalMs: ctx.config.MODEL_TRAINING_INTERVAL_MS ?? DEFAULT_TRAINING_INTERVAL_MS,
      run: () => modelRegistryFor(ctx).train(ctx.db, ctx.clock()),
    },
    {
      name: 'served-retention',
      intervalMs: 3_600_000,
      run: () => purgeServed(ctx.db, new Date(ctx.clock().getTime() - (ctx.config.SERVED_RETENTION_DAYS ?? 30) * 86_400_000)),
    },
  ],
}
