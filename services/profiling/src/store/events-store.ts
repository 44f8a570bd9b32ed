import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { CollectedEvent } from '../domain/collect-events.ts'

/** An event to store with the time the collector received it. */
export interface ReceivedEvent {
  event: CollectedEvent
  receivedAt: Date
}

/**
 * Inserts events, skipping ids already stored; returns the ids that were new. The rows travel as
 * one JSON parameter (Postgres parses it) rather than eight bound values per event, which cost
 * more to build and send than the rows cost to insert.
 */
export async function insertNewEvents(db: Kysely<ProfilingDb>, events: ReceivedEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set()
  const rows = JSON.stringify(
    events.map(({ event: e, receivedAt }) => ({
      id: e.interaction.id,
      t: e.interaction.type,
      u: e.interaction.userId ?? null,
      a: e.interaction.anonymousId ?? null,
      i: 'itemId' in e.interaction ? e.interaction.itemId : null,
      o: e.occurredAt.toISOString(),
      r: receivedAt.toISOString(),
      p: e.interaction,
    })),
  )
  const inserted = await db
    .insertInto('events')
    .columns(['id', 'type', 'userId', 'anonymousId', 'itemId', 'occurredAt', 'receivedAt', 'payload'])
    .expression(
      // In id order: two requests inserting the same ids in different orders would deadlock.
      sql`select x.id, x.t, x.u, x.a, x.i, x.o, x.r, x.p
          from jsonb_to_recordset(${rows}::jsonb) as x(id uuid, t text, u text, a text, i text, o timestamptz, r timestamptz, p jsonb)
          order by x.id`,
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute()
  return new Set(inserted.map((r) => r.id))
}

export async function countEvents(db: Kysely<ProfilingDb>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
