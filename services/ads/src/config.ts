import { type BaseConfig, extendConfig } from '@attune/kit'
import { Type } from 'typebox'

/** The kit's variables plus the ads service's own (read once, by the host). */
export const AdsConfigSchema = extendConfig({
  ADS_SIGNING_SECRET: Type.String({
    minLength: 16,
    default: 'attune-ads-dev-signing-secret-change-me',
    description: 'HMAC key signing tracking URLs; the same on every replica. Change it in production.',
  }),
  ADS_PUBLIC_URL: Type.String({ default: '', description: 'Base URL tracking links start with (e.g. https://api.example.com/ads); empty = relative links' }),
  ADS_REFRESH_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 2000, description: 'How often each replica reloads campaigns, spend and CTR counts' }),
  ADS_PRIOR_CTR: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.01, description: 'Cold-start mean CTR of a new ad' }),
  ADS_PRIOR_STRENGTH: Type.Number({ minimum: 1, maximum: 100000, default: 50, description: 'Weight of the prior, in impressions' }),
  ADS_TRACKING_TTL_SECONDS: Type.Integer({ minimum: 60, default: 86400, description: 'Tracking links older than this are ignored' }),
  ADS_MIN_CLICK_MS: Type.Integer({ minimum: 0, default: 300, description: 'A click sooner than this after the decision is treated as a bot' }),
  ADS_RANDOM_SEED: Type.Optional(Type.Integer({ minimum: 0, description: 'Seed of the sampler (tests, simulations); unset = random per replica' })),
  GENERATION_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'Base URL of the generation service (personalized ad copy); unset = the feature is off' }),
  ),
  GENERATION_API_KEY: Type.Optional(
    Type.String({ minLength: 1, description: 'A secret key of the generation service (its generate and review routes need admin)' }),
  ),
  GENERATION_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 30000, description: 'Per call to the generation service' }),
  ADS_COPY_SYNC_MS: Type.Integer({
    minimum: 500,
    maximum: 3600000,
    default: 15000,
    description: 'How often pending copy variants are checked against the generation review queue',
  }),
})

/** The ads service's configuration. */
export type AdsConfig = BaseConfig & {
  ADS_SIGNING_SECRET: string
  ADS_PUBLIC_URL: string
  ADS_REFRESH_MS: number
  ADS_PRIOR_CTR: number
  ADS_PRIOR_STRENGTH: number
  ADS_TRACKING_TTL_SECONDS: number
  ADS_MIN_CLICK_MS: number
  ADS_RANDOM_SEED?: number
  GENERATION_URL?: string
  GENERATION_API_KEY?: string
  GENERATION_TIMEOUT_MS: number
  ADS_COPY_SYNC_MS: number
}
