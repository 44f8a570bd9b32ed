import type { Kysely, Transaction } from 'kysely'

/**
 * Runs `take` in a transaction of its own and keeps that transaction open, holding whatever `take`
 * locked, until the returned `release` is called, which rolls it back and waits for the end. For
 * tests that stop another write at a lock to run something meanwhile.
 */
export async function holdInTransaction<DB>(db: Kysely<DB>, take: (trx: Transaction<DB>) => Promise<unknown>): Promise<() => Promise<void>> {
  let release = () => {}
  let holding = () => {}
  let failed: unknown
  const held = new Promise<void>((r) => (holding = r))
  const done = db
    .transaction()
    .execute(async (trx) => {
      await take(trx)
      holding()
      await new Promise<void>((r) => (release = r))
      throw new Error('rolled back')
    })
    .catch((err: unknown) => {
      failed = err
      holding()
    })
  await held
  if (failed) throw failed
  return async () => {
    release()
    await done
  }
}
