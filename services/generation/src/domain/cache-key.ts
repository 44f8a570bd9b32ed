import { createHash } from 'node:crypto'

/**
 * The cache key of a provider request: a hash of everything that shapes the answer (provider,
 * model, messages, variants, temperature, output schema and the offline brief). Identical
 * prompts, identical key.
 */
export function cacheKey(provider: string, request: unknown): string {
  return createHash('sha256').update(provider).update('\0').update(JSON.stringify(request)).digest('base64url')
}
