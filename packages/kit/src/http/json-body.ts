import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.ts'

/**
 * JSON can carry U+0000 and unpaired surrogates only as \u escapes (UTF-8 cannot encode them), so
 * bodies without such an escape need no walk.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/

/**
 * JSON bodies as Fastify parses them by default (prototype poisoning refused), except that a
 * string or key holding U+0000 or an unpaired surrogate is refused with a 400 naming it: Postgres
 * `text` and `jsonb` cannot store either, so such a body would otherwise fail deep in a write (or
 * a whole batch of writes) as a 500.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = String(raw)
    // Most bodies have none of what the checks look for (a poisoned key, or anything escaped, the
    // only way to write those keys otherwise): parsed once, not scanned three times more.
    if (body.length > 0 && !body.includes('\\u') && !body.includes('__proto__') && !body.includes('constructor')) {
      let value: unknown
      try {
        value = JSON.parse(body)
      } catch {
        return parse(request, body, done)
      }
      return done(null, value)
    }
    parse(request, body, (err, value) => {
      const field = err || !SUSPECT_ESCAPE.test(body) ? undefined : pathOfUnstorable(value, '')
      if (field === undefined) return done(err ?? null, value)
      const message = 'must not contain the NUL character (U+0000) or an unpaired surrogate'
      done(new AppError('validation_failed', `${field || '/'} ${message}`, { errors: [{ field: field || '/', in: 'body', message }] }))
    })
  })
}

const unstorable = (s: string) => s.includes('\u0000') || !s.isWellFormed()

/** The JSON pointer of the first string or key holding U+0000 or an unpaired surrogate, if any. */
export function pathOfUnstorable(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? at : undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfUnstorable(value[i], `${at}/${i}`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`
      if (unstorable(k)) return here
      const found = pathOfUnstorable(v, here)
      if (found !== undefined) return found
    }
  }
  return undefined
}
