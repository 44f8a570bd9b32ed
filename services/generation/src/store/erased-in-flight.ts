import type { NamedId } from '@attune/kit'

/** The id of the user a request names in its body (`userId`), as the kit's erased-in-flight 409 names it. */
export const userIdInBody = (id: string): NamedId => ({ id, field: '/userId', in: 'body' })
