import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai'

/** A provider call that failed: 503 when trying again later may work, 502 when the provider answered wrongly. */
export class ProviderError extends Error {
  readonly status: 502 | 503
  readonly retryAfterSeconds: number | undefined

  constructor(status: 502 | 503, message: string, opts: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: opts.cause })
    this.name = 'ProviderError'
    this.status = status
    this.retryAfterSeconds = opts.retryAfterSeconds
  }
}

function retryAfter(err: APIError): number | undefined {
  const v = err.headers?.get('retry-after')
  return v && /^\d+$/.test(v) ? Number(v) : undefined
}

/**
 * Maps an SDK error (after its own retries) to what the client is told: unreachable, timed out,
 * rate limited or overloaded → 503; any other answer (500, bad request, bad output) → 502.
 */
export function toProviderError(err: unknown): unknown {
  if (err instanceof ProviderError) return err
  if (err instanceof APIConnectionTimeoutError) return new ProviderError(503, 'The model provider did not answer in time', { cause: err })
  if (err instanceof APIConnectionError) return new ProviderError(503, 'The model provider could not be reached', { cause: err })
  if (err instanceof APIError) {
    const status = err.status ?? 0
    if (status === 429) {
      const after = retryAfter(err)
      return new ProviderError(503, 'The model provider is rate limiting requests', {
        cause: err,
        ...(after !== undefined ? { retryAfterSeconds: after } : {}),
      })
    }
    if (status === 503 || status === 504) return new ProviderError(503, `The model provider is unavailable (HTTP ${status})`, { cause: err })
    return new ProviderError(502, `The model provider failed (HTTP ${status || 'error'})`, { cause: err })
  }
  return err
}
