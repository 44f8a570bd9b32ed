import { errorHandler, sendProblem } from '@attune/kit'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ProviderError } from '../providers/provider-error.ts'

/**
 * The kit's error handler plus upstream failures: a provider or the recommendation service that is
 * unreachable, slow or rate limiting gives 503 (with retry-after when known), one that answered
 * wrongly gives 502.
 */
export function generationErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (!(error instanceof ProviderError)) return errorHandler(error, request, reply)
  request.log.warn({ err: error.cause ?? error, status: error.status }, 'upstream call failed')
  if (error.status === 503) {
    const headers = error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : undefined
    return sendProblem(reply, 'unavailable', error.message, undefined, headers)
  }
  return sendProblem(reply, 'bad_gateway', error.message)
}
