import type { Problem } from '@attune/contracts'
import { type Static, type TSchema, type TUnsafe, Type } from 'typebox'

/** A `$ref` to a schema registered with `app.addSchema`, typed as the schema it points at. */
export function ref<T extends TSchema & { $id?: string }>(schema: T): TUnsafe<Static<T>> {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>({ $ref: schema.$id })
}

/** A problem+json response, for statuses beyond `problemResponses` (e.g. `409: problemRef`). */
export const problemRef = Type.Unsafe<Static<typeof Problem>>({ $ref: 'Problem', description: 'RFC 9457 problem details' })

/** The problem responses every authenticated route can give; spread into `response`. */
export const problemResponses = {
  400: problemRef,
  401: problemRef,
  403: problemRef,
  404: problemRef,
  413: problemRef,
  415: problemRef,
  429: problemRef,
  500: problemRef,
}
