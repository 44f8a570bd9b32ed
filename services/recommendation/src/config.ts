import { type BaseConfig, extendConfig } from '@attune/kit'
import { Type } from 'typebox'
import { interactionWeightsPattern } from './domain/interaction-weights.ts'

/** The kit's variables plus recommendation's own (read once, in server.ts and migrate.ts). */
export const RecommendationConfigSchema = extendConfig({
  INTERACTION_WEIGHTS: Type.Optional(
    Type.String({
      pattern: interactionWeightsPattern,
      description: 'Overrides of the per-type interaction weights, e.g. `like=4,hide=-5` (defaults in src/domain/interaction-weights.ts)',
    }),
  ),
  MODEL_TRAINING_INTERVAL_MS: Type.Optional(
    Type.Integer({ minimum: 10_000, description: 'How often each replica retrains its model (default 600000); it also trains at start' }),
  ),
  SERVED_RETENTION_DAYS: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, description: 'Days a served slate is kept for paging and click attribution (default 30)' }),
  ),
  SERVING_CACHE_USERS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10_000_000,
      description: 'Users whose state and scored candidates each replica keeps in memory (default 100000; 0 reads every request from the database)',
    }),
  ),
  SERVING_CACHE_TTL_MS: Type.Optional(
    Type.Integer({ minimum: 1000, description: 'Longest a kept user state is used (default 600000); events drop it sooner' }),
  ),
  SERVED_FLUSH_MS: Type.Optional(
    Type.Integer({ minimum: 10, maximum: 10_000, description: 'Served slates are written together at most this long after serving (default 200)' }),
  ),
})

/**
 * Recommendation's configuration. Every host loads its schema (the definition's
 * `configSchema`); its own variables are optional, and unset means the defaults.
 */
export type RecommendationConfig = BaseConfig & {
  INTERACTION_WEIGHTS?: string
  MODEL_TRAINING_INTERVAL_MS?: number
  SERVED_RETENTION_DAYS?: number
  SERVING_CACHE_USERS?: number
  SERVING_CACHE_TTL_MS?: number
  SERVED_FLUSH_MS?: number
}
