import { boundedJsonArrays, writePieces } from '@attune/kit'
import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { CollectedEvent } from '../domain/collect-events.ts'

/** An event to store with the time the collector received it. */
export interface ReceivedEvent {
  event: CollectedEvent
  receivedAt: Date
}

/** An event as its `jsonb_to_recordset` record (keys as in the statement below). */
const recordJson = ({ event: e, receivedAt }: ReceivedEvent) =>
  JSON.stringify({
    id: e.interaction.id,
    t: e.interaction.type,
    u: e.interaction.userId ?? null,
    a: e.interaction.anonymousId ?? null,
    i: 'itemId' in e.interaction ? e.interaction.itemId : null,
    o: e.occurredAt.toISOString(),
    r: receivedAt.toISOString(),
    p: e.interaction,
  })

/** The events' records in id order: a uuid's lower-case text sorts as Postgres orders uuids (byte by byte). */
function recordsInIdOrder(events: ReceivedEvent[]): string[] {
  const keyed = events.map((e) => ({ id: e.event.interaction.id.toLowerCase(), json: recordJson(e) }))
  keyed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return keyed.map((k) => k.json)
}

/**
 * Inserts events, skipping ids already stored; returns the ids that were new. The rows travel as
 * JSON parameters (Postgres parses them) rather than eight bound values per event, which cost
 * more to build and send than the rows cost to insert; each at most the kit's
 * MAX_PARAMETER_CHARS (a group commit of 1,600 events was one ~400 KB string, built and sent in
 * V8's large-object space), all in `db`'s transaction or one of their own.
 */
export async function insertNewEvents(db: Kysely<ProfilingDb>, events: ReceivedEvent[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  if (events.length === 0) return inserted
  // In id order, across pieces too: two commits inserting the same ids in different orders would deadlock.
  const pieces = boundedJsonArrays(recordsInIdOrder(events))
  await writePieces(db, pieces, async (q, rows) => {
    const ids = await q
      .insertInto('events')
      .columns(['id', 'type', 'userId', 'anonymousId', 'itemId', 'occurredAt', 'receivedAt', 'payload'])
      .expression(
        sql`select x.id, x.t, x.u, x.a, x.i, x.o, x.r, x.p
            from jsonb_to_recordset(${rows}::jsonb) as x(id uuid, t text, u text, a text, i text, o timestamptz, r timestamptz, p jsonb)
            order by x.id`,
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute()
    for (const r of ids) inserted.add(r.id)
  })
  return inserted
}

export async function countEvents(db: Kysely<ProfilingDb>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
