import { AppError } from '@attune/kit'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A slate's next-page cursor: the recommendation id of the page it follows, opaque to clients. */
export function encodeSlateCursor(recommendationId: string): string {
  return Buffer.from(`s:${recommendationId}`).toString('base64url')
}

export function decodeSlateCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString()
  const id = text.startsWith('s:') ? text.slice(2) : ''
  if (!UUID.test(id)) throw invalidCursor()
  return id
}

export function invalidCursor(): AppError {
  return new AppError('invalid_cursor', 'cursor was not issued for this user and endpoint', {
    errors: [{ field: '/cursor', in: 'querystring', message: 'is not a valid cursor for this request' }],
  })
}
