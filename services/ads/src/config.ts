import { type BaseConfig, extendConfig } from '@attune/kit'
import { Type } from 'typebox'

const SECONDS_A_DAY = 86_400

/** The kit's variables plus the ads service's own (read once, by the host). */
const AdsVariables = extendConfig({
  ADS_SIGNING_SECRET: Type.String({
    minLength: 16,
    default: 'attune-ads-dev-signing-secret-change-me',
    description: 'HMAC key signing tracking URLs; the same on every replica. Change it in production.',
  }),
  ADS_PUBLIC_URL: Type.String({ default: '', description: 'Base URL tracking links start with (e.g. https://api.example.com/ads); empty = relative links' }),
  ADS_REFRESH_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 2000, description: 'How often each replica reloads campaigns, spend and CTR counts' }),
  ADS_PRIOR_CTR: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.01, description: 'Cold-start mean CTR of a new ad' }),
  ADS_PRIOR_STRENGTH: Type.Number({ minimum: 1, maximum: 100000, default: 50, description: 'Weight of the prior, in impressions' }),
  ADS_TRACKING_TTL_SECONDS: Type.Integer({
    minimum: 60,
    default: 86400,
    description: 'Tracking links older than this are ignored; at most PRIVACY_TOMBSTONE_DAYS × 86400',
  }),
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

/**
 * The ads service's variables, and the one rule across them: a tracking link must not outlive the
 * erasure tombstones. A hit on a link signed before its user's erasure is counted about no one
 * only because the tombstone is still there (`trackHit`); one arriving after the tombstone expired
 * would write per-user history again. A refinement of the schema, so `loadConfig` refuses it in
 * every host (server, migrate Job, embedded mode, tests) with one line, as for any bad variable.
 * Typed as the plain object schema: hosts take a `TObject`, and the refinement rides along.
 */
export const AdsConfigSchema: typeof AdsVariables = Type.Refine(
  AdsVariables,
  // Not yet numbers: another variable is bad, and its own error is the one to report.
  (c) => typeof c.ADS_TRACKING_TTL_SECONDS !== 'number' || typeof c.PRIVACY_TOMBSTONE_DAYS !== 'number' || !trackingOutlivesTombstones(c),
  (c) =>
    `ADS_TRACKING_TTL_SECONDS=${c.ADS_TRACKING_TTL_SECONDS} outlives the erasure tombstones, kept PRIVACY_TOMBSTONE_DAYS=${c.PRIVACY_TOMBSTONE_DAYS} days (${c.PRIVACY_TOMBSTONE_DAYS * SECONDS_A_DAY} s): a hit on a link signed before its user's erasure could write per-user history again; lower ADS_TRACKING_TTL_SECONDS or raise PRIVACY_TOMBSTONE_DAYS`,
)

/** True when a tracking link would stay valid longer than the tombstones of its user's erasure are kept. */
function trackingOutlivesTombstones(c: { ADS_TRACKING_TTL_SECONDS: number; PRIVACY_TOMBSTONE_DAYS: number }): boolean {
  return c.ADS_TRACKING_TTL_SECONDS > c.PRIVACY_TOMBSTONE_DAYS * SECONDS_A_DAY
}

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
