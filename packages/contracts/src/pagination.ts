import { type Static, type TSchema, Type } from 'typebox'

/** Query parameters of every paged listing. */
export const CursorQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size' }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from the previous page' })),
})
export type CursorQuery = Static<typeof CursorQuery>

/** A page of results; `nextCursor` is null on the last page. */
export function CursorPage<T extends TSchema>(item: T, id: string, examples?: unknown[]) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; null when done' }),
    },
    { $id: id, additionalProperties: false, ...(examples ? { examples } : {}) },
  )
}
