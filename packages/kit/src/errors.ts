import type { ProblemFieldError } from '@attune/contracts'

/** The closed table of error codes: status and title are fixed here, once. */
export const ErrorCodes = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  invalid_json: { status: 400, title: 'Body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'Cursor is not valid' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  forbidden: { status: 403, title: 'API key lacks the required scope' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Body too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Request cannot be processed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  bad_gateway: { status: 502, title: 'Bad gateway' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ErrorCodes

/** An error the client is meant to see, rendered as application/problem+json. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors: ProblemFieldError[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor(code: ErrorCode, detail?: string, opts: { errors?: ProblemFieldError[]; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(detail ?? ErrorCodes[code].title, { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ErrorCodes[code].status
    this.errors = opts.errors
    this.headers = opts.headers
  }
}

/** Anything thrown, as an Error (a rejected promise may carry any value). */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown))
}

/** Shorthands for the errors handlers throw most. */
export const errors = {
  notFound: (what: string, id: string) => new AppError('not_found', `${what} ${id} does not exist`),
  invalid: (field: string, message: string, where: ProblemFieldError['in'] = 'body') =>
    new AppError('validation_failed', `${field} ${message}`, { errors: [{ field, in: where, message }] }),
  conflict: (detail: string) => new AppError('conflict', detail),
}
