import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { CollectedEvent } from '../domain/collect-events.ts'

/** Inserts events, skipping ids already stored; returns the ids that were new. */
export async function insertNewEvents(db: Kysely<ProfilingDb>, events: CollectedEvent[], receivedAt: Date): Promise<Set<string>> {
  if (events.length === 0) return new Set()
  const rows = await db
    .insertInto('events')
    .values(
      // In id order: two requests inserting the same ids in different orders would deadlock.
      [...events]
        .sort((a, b) => (a.interaction.id < b.interaction.id ? -1 : 1))
        .map((e) => ({
          id: e.interaction.id,
          type: e.interaction.type,
          userId: e.interaction.userId ?? null,
          anonymousId: e.interaction.anonymousId ?? null,
          itemId: 'itemId' in e.interaction ? e.interaction.itemId : null,
          occurredAt: e.occurredAt,
          receivedAt,
          payload: JSON.stringify(e.interaction),
        })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute()
  return new Set(rows.map((r) => r.id))
}

export async function countEvents(db: Kysely<ProfilingDb>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
