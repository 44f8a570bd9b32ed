import type { Kysely } from 'kysely'
import type { KitTables } from '../db/kit-tables.ts'

export interface AwaitedEventsOptions {
  /** An event still unapplied after this long is given up on (no consumer of ours may apply it). */
  giveUpMs: number
  /** Most subjects tracked; the oldest go first. */
  maxSubjects: number
}

/**
 * Events a replica's listeners saw, about a subject (a user), that this service's consumers have
 * yet to apply. A listener sees an event when it is published; the consumer that applies it may
 * commit later (under load, seconds later), so what a replica reads about the subject meanwhile is
 * old and must not be kept in memory. Applied means the consumer's inbox row exists: it commits in
 * the same transaction as the change.
 */
export class AwaitedEvents<DB extends KitTables = KitTables> {
  private readonly pending = new Map<string, { ids: Set<string>; since: number }>()
  private readonly db: Kysely<KitTables>
  private readonly o: AwaitedEventsOptions

  constructor(db: Kysely<DB>, o: AwaitedEventsOptions = { giveUpMs: 60_000, maxSubjects: 100_000 }) {
    this.db = db as unknown as Kysely<KitTables>
    this.o = o
  }

  expect(subject: string, eventId: string): void {
    const p = this.pending.get(subject)
    if (p) p.ids.add(eventId)
    else this.pending.set(subject, { ids: new Set([eventId]), since: Date.now() })
    if (this.pending.size > this.o.maxSubjects) this.pending.delete(this.pending.keys().next().value as string)
  }

  forget(subject: string): void {
    this.pending.delete(subject)
  }

  /** Whether every event awaited for the subject was applied: only then may a read about it be kept. */
  async applied(subject: string): Promise<boolean> {
    const p = this.pending.get(subject)
    if (!p) return true
    if (Date.now() - p.since > this.o.giveUpMs) {
      this.pending.delete(subject)
      return true
    }
    const ids = [...p.ids]
    const rows = await this.db.selectFrom('inbox').select('eventId').where('eventId', 'in', ids).execute()
    for (const r of rows) p.ids.delete(r.eventId)
    if (rows.length < ids.length) return false
    // Events expected while the query ran are checked at the next read.
    if (p.ids.size === 0 && this.pending.get(subject) === p) this.pending.delete(subject)
    return true
  }
}
