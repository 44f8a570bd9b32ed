// The dispatcher no longer holds a transaction (and the rows' locks) open while it calls webhooks:
// it claims due deliveries in one short statement by leasing them until `claimed_until`, posts
// them outside any transaction, and records each outcome in another short transaction, only if the
// lease is still its own. A crashed claimer's rows become claimable again when the lease ends
// (at-least-once, same idempotency key). Nullable: a delivery nobody holds has none.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('claimed_until', 'timestamptz').execute()
}
