import type { LoggerOptions } from 'pino'

/** Paths never written to logs: credentials, tokens and the raw key list. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.secret',
  '*.ATTUNE_API_KEYS',
  '*.DATABASE_URL',
  '*.OPENAI_API_KEY',
  '*.GENERATION_API_KEY',
  '*.RECOMMENDATION_API_KEY',
  '*.ADS_SIGNING_SECRET',
  '*.DELIVERY_WEBHOOK_SECRET',
]

/** pino options shared by every service; `service` is bound to every line. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  }
}
