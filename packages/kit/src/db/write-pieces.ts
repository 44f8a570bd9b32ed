import type { Kysely } from 'kysely'

/**
 * Runs `write` for each piece, in order: on `db` when there is one piece (a statement is atomic) or
 * `db` is already a transaction, else in one transaction of its own, so the pieces land together.
 */
export async function writePieces<DB, P>(db: Kysely<DB>, pieces: readonly P[], write: (q: Kysely<DB>, piece: P) => Promise<unknown>): Promise<void> {
  if (pieces.length <= 1 || db.isTransaction) {
    for (const piece of pieces) await write(db, piece)
    return
  }
  await db.transaction().execute(async (trx) => {
    for (const piece of pieces) await write(trx, piece)
  })
}
