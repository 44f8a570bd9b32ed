import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.ts'

/** JSON can carry U+0000 only as this escape, so bodies without it need no walk. */
const NUL_ESCAPE = '\\u0000'

/**
 * JSON bodies as Fastify parses them by default (prototype poisoning refused), except that a
 * string or key holding U+0000 is refused with a 400 naming it: Postgres `text` and `jsonb`
 * cannot store that character, so such a body would otherwise fail deep in a write as a 500.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = String(raw)
    parse(request, body, (err, value) => {
      const field = err || !body.includes(NUL_ESCAPE) ? undefined : pathOfNul(value, '')
      if (field === undefined) return done(err ?? null, value)
      done(
        new AppError('validation_failed', `${field || '/'} must not contain the NUL character (U+0000)`, {
          errors: [{ field: field || '/', in: 'body', message: 'must not contain the NUL character (U+0000)' }],
        }),
      )
    })
  })
}

/** The JSON pointer of the first string or key holding U+0000, if any. */
export function pathOfNul(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? at : undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], `${at}/${i}`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`
      if (k.includes('\u0000')) return here
      const found = pathOfNul(v, here)
      if (found !== undefined) return found
    }
  }
  return undefined
}
