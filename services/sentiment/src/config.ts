import { type BaseConfig, extendConfig } from '@attune/kit'
import { Type } from 'typebox'

/** The kit's variables plus sentiment's own (read once, in server.ts and migrate.ts). */
export const SentimentConfigSchema = extendConfig({
  SPIKE_MIN_NEGATIVE: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100000, description: 'Fewest negative texts in the spike window for an alert (default 5)' }),
  ),
  SPIKE_WINDOW_MINUTES: Type.Optional(
    Type.Integer({ minimum: 15, maximum: 1440, multipleOf: 15, description: 'Length of the spike window, a multiple of 15 minutes (default 60)' }),
  ),
})

/**
 * Sentiment's configuration. Every host loads its schema (the definition's
 * `configSchema`); its own variables are optional, and unset means the defaults.
 */
export type SentimentConfig = BaseConfig & { SPIKE_MIN_NEGATIVE?: number; SPIKE_WINDOW_MINUTES?: number }
