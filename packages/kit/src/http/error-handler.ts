import { PROBLEM_CONTENT_TYPE, type Problem, type ProblemFieldError } from '@attune/contracts'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ErrorCode, ErrorCodes } from '../errors.ts'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

type Location = NonNullable<ProblemFieldError['in']>

/** Turns one ajv error into a field pointer that names the offending property. */
export function fieldError(e: AjvError, where: Location): ProblemFieldError {
  let field = e.instancePath || ''
  let message = e.message ?? 'is invalid'
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') field += `/${e.params.missingProperty}`
  else if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    field += `/${e.params.additionalProperty}`
    message = 'is not an allowed property'
  } else if (e.keyword === 'discriminator' && typeof e.params.tag === 'string') {
    field += `/${e.params.tag}`
    message = e.params.error === 'mapping' ? `value ${JSON.stringify(e.params.tagValue)} is not a known type` : 'must be a string naming the type'
  }
  return { field: field || '/', in: where, message }
}

function problemBody(code: ErrorCode, request: FastifyRequest, detail?: string, errors?: ProblemFieldError[]): Problem {
  const { status, title } = ErrorCodes[code]
  return {
    type: `https://attune.dev/problems/${code.replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
    instance: String(request.id),
    ...(errors?.length ? { errors } : {}),
  }
}

export function sendProblem(reply: FastifyReply, code: ErrorCode, detail?: string, errors?: ProblemFieldError[], headers?: Record<string, string>) {
  const body = problemBody(code, reply.request, detail, errors)
  if (headers) reply.headers(headers)
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body)
}

/** Postgres' SQLSTATE for a write naming a row that does not exist (any more). */
const FOREIGN_KEY_VIOLATION = '23503'

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
}

/**
 * Renders every error once as RFC 9457 problem+json: our AppErrors, then Fastify's validation and
 * body-parser errors, then a fixed 500 whose cause goes to the log only.
 */
export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    request.log.info({ code: error.code }, 'request rejected')
    return sendProblem(reply, error.code, error.message, error.errors, error.headers)
  }
  const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string }
  if (fe.validation) {
    const where = (fe.validationContext ?? 'body') as Location
    const errors = fe.validation.map((e) => fieldError(e, where))
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ')
    request.log.info({ fields: errors.map((e) => e.field) }, 'validation failed')
    return sendProblem(reply, 'validation_failed', detail, errors)
  }
  const mapped = fe.code ? fastifyCodes[fe.code] : undefined
  if (mapped) {
    const errors = mapped === 'invalid_json' ? [{ field: '/', in: 'body' as const, message: fe.message }] : undefined
    return sendProblem(reply, mapped, fe.message, errors)
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) {
    return sendProblem(reply, 'invalid_json', error.message, [{ field: '/', in: 'body', message: error.message }])
  }
  // A row this request refers to was deleted while it ran (a conversation whose user an erasure
  // removed while the model answered): Postgres refuses the write; nothing was stored.
  if (fe.code === FOREIGN_KEY_VIOLATION) {
    request.log.warn({ code: fe.code, constraint: (error as { constraint?: unknown }).constraint }, 'request refers to a deleted row')
    return sendProblem(reply, 'conflict', 'What this request refers to was deleted while it ran; nothing was written.')
  }
  const status = fe.statusCode ?? 500
  if (status >= 400 && status < 500) {
    const code: ErrorCode =
      status === 404
        ? 'not_found'
        : status === 405
          ? 'method_not_allowed'
          : status === 413
            ? 'payload_too_large'
            : status === 415
              ? 'unsupported_media_type'
              : status === 429
                ? 'rate_limited'
                : 'validation_failed'
    request.log.info({ code: fe.code }, 'request rejected')
    return sendProblem(reply, code, fe.message)
  }
  request.log.error({ err: error }, 'request failed')
  return sendProblem(reply, 'internal_error', 'An unexpected error occurred; quote the instance id when reporting it.')
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`)
}
