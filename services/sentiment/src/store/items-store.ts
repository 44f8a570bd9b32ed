import type { Kysely } from 'kysely'
import type { ItemsTable, SentimentDb } from '../db.ts'

/** Keeps the latest author and topics of catalog items (an older update never overwrites a newer one). */
export async function upsertItems(db: Kysely<SentimentDb>, items: readonly ItemsTable[]): Promise<void> {
  if (items.length === 0) return
  // One row per item: Postgres refuses an upsert that touches the same row twice in one statement.
  const latest = new Map<string, ItemsTable>()
  for (const item of items) {
    const seen = latest.get(item.itemId)
    if (!seen || seen.updatedAt <= item.updatedAt) latest.set(item.itemId, item)
  }
  await db
    .insertInto('items')
    .values([...latest.values()])
    .onConflict((oc) =>
      oc
        .column('itemId')
        .doUpdateSet((eb) => ({ authorId: eb.ref('excluded.authorId'), topics: eb.ref('excluded.topics'), updatedAt: eb.ref('excluded.updatedAt') }))
        .where('items.updatedAt', '<=', (eb) => eb.ref('excluded.updatedAt')),
    )
    .execute()
}

export async function itemsByIds(db: Kysely<SentimentDb>, ids: readonly string[]): Promise<Map<string, ItemsTable>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('items')
    .selectAll()
    .where('itemId', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.itemId, r]))
}
