import t from 'tap'
import { AppError, ErrorCodes, errors } from '../src/errors.ts'
import { fieldError } from '../src/http/error-handler.ts'

t.test('fieldError: required names the missing property', async (t) => {
  const e = { instancePath: '/events/0', keyword: 'required', message: "must have required property 'itemId'", params: { missingProperty: 'itemId' } }
  t.same(fieldError(e, 'body'), { field: '/events/0/itemId', in: 'body', message: "must have required property 'itemId'" })
})

t.test('fieldError: required at the root', async (t) => {
  const e = { instancePath: '', keyword: 'required', message: "must have required property 'events'", params: { missingProperty: 'events' } }
  t.same(fieldError(e, 'body'), { field: '/events', in: 'body', message: "must have required property 'events'" })
})

t.test('fieldError: additionalProperties names the extra property', async (t) => {
  const e = {
    instancePath: '/events/2',
    keyword: 'additionalProperties',
    message: 'must NOT have additional properties',
    params: { additionalProperty: 'colour' },
  }
  t.same(fieldError(e, 'body'), { field: '/events/2/colour', in: 'body', message: 'is not an allowed property' })
})

t.test('fieldError: discriminator errors point at the tag', async (t) => {
  const mapping = {
    instancePath: '/events/1',
    keyword: 'discriminator',
    message: 'value of tag "type" must be in oneOf',
    params: { error: 'mapping', tag: 'type', tagValue: 'bookmark' },
  }
  t.same(fieldError(mapping, 'body'), { field: '/events/1/type', in: 'body', message: 'value "bookmark" is not a known type' })
  const tag = { instancePath: '/events/0', keyword: 'discriminator', message: 'tag "type" must be string', params: { error: 'tag', tag: 'type', tagValue: 7 } }
  t.same(fieldError(tag, 'body'), { field: '/events/0/type', in: 'body', message: 'must be a string naming the type' })
})

t.test('fieldError: other keywords keep instancePath and message', async (t) => {
  const e = { instancePath: '/events/3/seconds', keyword: 'maximum', message: 'must be <= 86400', params: { comparison: '<=', limit: 86400 } }
  t.same(fieldError(e, 'body'), { field: '/events/3/seconds', in: 'body', message: 'must be <= 86400' })
})

t.test('fieldError: an empty path becomes "/" and a missing message a default', async (t) => {
  t.same(fieldError({ instancePath: '', keyword: 'type', message: 'must be object', params: { type: 'object' } }, 'body'), {
    field: '/',
    in: 'body',
    message: 'must be object',
  })
  t.same(fieldError({ instancePath: '/limit', keyword: 'minimum', params: {} }, 'querystring'), { field: '/limit', in: 'querystring', message: 'is invalid' })
})

t.test('AppError takes status and title from the ErrorCodes table', async (t) => {
  const e = new AppError('rate_limited')
  t.type(e, Error)
  t.equal(e.name, 'AppError')
  t.equal(e.code, 'rate_limited')
  t.equal(e.status, 429)
  t.equal(e.message, 'Too many requests')
  t.equal(e.errors, undefined)
  t.equal(e.headers, undefined)
})

t.test('AppError keeps detail, field errors, headers and cause', async (t) => {
  const cause = new Error('socket hang up')
  const e = new AppError('unauthorized', 'API key not recognised', { headers: { 'www-authenticate': 'Bearer' }, cause })
  t.equal(e.status, 401)
  t.equal(e.message, 'API key not recognised')
  t.same(e.headers, { 'www-authenticate': 'Bearer' })
  t.equal(e.cause, cause)
})

t.test('every ErrorCode maps to a 4xx or 5xx status and a title', async (t) => {
  for (const [code, { status, title }] of Object.entries(ErrorCodes)) {
    const e = new AppError(code as keyof typeof ErrorCodes)
    t.equal(e.status, status, code)
    t.equal(e.message, title, code)
    t.ok(status >= 400 && status < 600, `${code} is an error status`)
  }
})

t.test('errors.notFound', async (t) => {
  const e = errors.notFound('item', 'article-7')
  t.equal(e.code, 'not_found')
  t.equal(e.status, 404)
  t.equal(e.message, 'item article-7 does not exist')
})

t.test('errors.invalid carries one field error, in the body by default', async (t) => {
  const e = errors.invalid('/cursor', 'is not a valid cursor', 'querystring')
  t.equal(e.code, 'validation_failed')
  t.equal(e.status, 400)
  t.equal(e.message, '/cursor is not a valid cursor')
  t.same(e.errors, [{ field: '/cursor', in: 'querystring', message: 'is not a valid cursor' }])
  t.same(errors.invalid('/events/0/time', 'is in the future').errors, [{ field: '/events/0/time', in: 'body', message: 'is in the future' }])
})

t.test('errors.conflict', async (t) => {
  const e = errors.conflict('already exists')
  t.equal(e.code, 'conflict')
  t.equal(e.status, 409)
  t.equal(e.message, 'already exists')
})
