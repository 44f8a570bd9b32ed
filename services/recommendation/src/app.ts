import type { ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import { popularityConsumer } from './consumers/popularity-consumer.ts'
import type { RecommendationDb } from './db.ts'
import { trendingRoutes } from './routes/trending.ts'

/** Recommendation: learns from the interaction stream; trending now, the recommenders in later issues. */
export const recommendation: ServiceDefinition<RecommendationDb> = {
  name: 'recommendation',
  version: '0.1.0',
  description: 'Personalized content and news recommendations, trending, similar items and social feeds.',
  tags: [{ name: 'trending', description: 'Popularity across all users' }],
  migrations,
  routes(app, ctx) {
    trendingRoutes(app, ctx)
  },
  consumers: () => [popularityConsumer],
  privacy: {
    // Nothing to delete yet: item_popularity holds per-item, per-hour counts with no user id. Declared
    // so this service still confirms every erasure; the per-user tables of the recommenders add
    // their deletes here.
    async erase() {},
  },
}
