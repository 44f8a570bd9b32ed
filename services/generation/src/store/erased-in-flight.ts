import { AppError, type NamedId, refuseIfErasedInFlight } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'

/** The id of the user a request names in its body (`userId`), as the 409 names it. */
export const userIdInBody = (id: string): NamedId => ({ id, field: '/userId', in: 'body' })

/**
 * The kit's `refuseIfErasedInFlight` (shares the schema's erasure lock until the transaction ends:
 * call it first), answering the 409 instead of throwing it, for a write that records the provider's
 * token spend either way (the key's usage, not the user's data): the caller writes the spend in
 * the same transaction, and throws the refusal once it committed.
 */
export async function erasedInFlight(trx: Kysely<GenerationDb>, schema: string, ids: readonly NamedId[], receivedAt: Date): Promise<AppError | undefined> {
  try {
    await refuseIfErasedInFlight(trx, schema, ids, receivedAt)
    return undefined
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') return err
    throw err
  }
}
