import type { ColumnType, Generated, Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Migration } from 'kysely/migration'

export interface OutboxTable {
  id: Generated<number>
  topic: string
  key: string
  /** The message value exactly as it goes on the bus (JSON text; kept as text so nothing is re-parsed). */
  payload: string
  headers: ColumnType<Record<string, string>, string, string>
  /**
   * Set on a row that holds several messages (migration 0001): JSON text of one
   * `{ t: topic, k: key, h?: headers }` per message, whose values are `payload`'s lines in order.
   */
  batch: string | null
  createdAt: Generated<Date>
}

export interface InboxTable {
  consumer: string
  eventId: string
  status: 'processed' | 'dead_lettered'
  error: string | null
  processedAt: Generated<Date>
}

/** A tombstone: an erased user or anonymous id (sha256 hex) and when its erasure was asked for. */
export interface ErasedSubjectsTable {
  subjectHash: string
  erasedAt: Date
}

/** Tables the kit keeps in every service's schema; a service's DB type extends this. */
export interface KitTables {
  outbox: OutboxTable
  inbox: InboxTable
  erasedSubjects: ErasedSubjectsTable
}

/** The kit's own migrations, merged before each service's (names sort first). */
export const kitMigrations: Record<string, Migration> = {
  // Outbox rows are deleted once published (the relay's transaction), so the table stays small;
  // the identity id gives publish order. Inbox rows make consumers idempotent per (consumer, event id).
  '0000-kit-create-outbox-and-inbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox')
        .ifNotExists()
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute()
      await db.schema
        .createTable('inbox')
        .ifNotExists()
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('processed'))
        .addColumn('error', 'text')
        .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('inbox_pkey', ['consumer', 'event_id'])
        .execute()
      await db.schema.createIndex('inbox_processed_at_idx').ifNotExists().on('inbox').column('processed_at').execute()
    },
  },
  // A transaction's events go in one row instead of one row each: a row costs a heap tuple and an
  // index entry to insert, and as much again to delete once published, which was a fifth of the
  // database's work on the collector's path.
  '0001-kit-outbox-batch-rows': {
    async up(db: Kysely<unknown>) {
      await sql`alter table outbox add column if not exists batch text`.execute(db)
      // Such a payload is long enough to be compressed by default; the row lives milliseconds, so
      // compressing it costs more than storing it as it is.
      await sql`alter table outbox alter column payload set storage external`.execute(db)
    },
  },
  // Consumers drop events about an erased id dated before its erasure (privacy/erased-subjects.ts).
  // Hex hashes compare byte by byte ("C"): a lookup of a batch's ids probes the key hundreds of times.
  '0002-kit-create-erased-subjects': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('erased_subjects')
        .ifNotExists()
        .addColumn('subject_hash', sql`text collate "C"`, (c) => c.primaryKey())
        .addColumn('erased_at', 'timestamptz', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('erased_subjects_erased_at_idx').ifNotExists().on('erased_subjects').column('erased_at').execute()
    },
  },
}
