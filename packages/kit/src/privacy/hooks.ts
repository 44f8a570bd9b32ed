import type { Kysely, Transaction } from 'kysely'
import type { KitTables } from '../db/kit-tables.ts'

/**
 * What a service that holds user data declares so data-subject requests reach it. With `erase`
 * set, the kit runs a consumer on `attune.privacy` that erases the user on
 * `privacy.erasure-requested` and confirms with `privacy.erasure-completed` in the same transaction.
 */
export interface PrivacyHooks<DB extends KitTables> {
  /** Deletes everything this service holds about `userId`; must be idempotent (an unknown user is a no-op). */
  erase(trx: Transaction<DB>, userId: string): Promise<void>
  /** Everything this service holds about `userId`, as JSON. */
  export?(db: Kysely<DB>, userId: string): Promise<unknown>
}
