import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { CustomTraitDefinition } from '../domain/custom-traits.ts'

type Db = Kysely<ProfilingDb>

/** The user an id resolves to: itself, or the user an anonymous id was merged into. */
export async function resolveProfileId(db: Db, id: string): Promise<string> {
  const link = await db.selectFrom('identityLinks').select('userId').where('anonymousId', '=', id).executeTakeFirst()
  return link?.userId ?? id
}

/** Sets attributes (a null value removes one), creating the profile if needed; returns the result. */
export async function patchAttributes(db: Db, userId: string, patch: Record<string, unknown>, now: Date): Promise<Record<string, unknown>> {
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null))
  const removed = Object.entries(patch).flatMap(([k, v]) => (v === null ? [k] : []))
  const row = await db
    .insertInto('profiles')
    .values({ userId, attributes: JSON.stringify(set), updatedAt: now })
    .onConflict((oc) =>
      oc.column('userId').doUpdateSet({
        attributes: sql`(profiles.attributes || ${JSON.stringify(set)}::jsonb) - ${sql.val(removed)}::text[]`,
        updatedAt: now,
      }),
    )
    .returning('attributes')
    .executeTakeFirstOrThrow()
  return row.attributes
}

export async function listTraitDefinitions(db: Db): Promise<CustomTraitDefinition[]> {
  const rows = await db.selectFrom('traitDefinitions').selectAll().orderBy('name').execute()
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind as CustomTraitDefinition['kind'],
    property: r.property,
    windowDays: r.windowDays,
    eventTypes: r.eventTypes,
    filter: r.filter,
  }))
}

/** Stores a definition; false when the name is taken. */
export async function insertTraitDefinition(db: Db, d: CustomTraitDefinition): Promise<boolean> {
  const r = await db
    .insertInto('traitDefinitions')
    .values({
      name: d.name,
      kind: d.kind,
      property: d.property,
      windowDays: d.windowDays,
      eventTypes: JSON.stringify(d.eventTypes),
      filter: JSON.stringify(d.filter),
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function deleteTraitDefinition(db: Db, name: string): Promise<boolean> {
  const r = await db.deleteFrom('traitDefinitions').where('name', '=', name).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** A user's events within the longest window any definition needs, oldest first. */
export async function eventsForCustomTraits(db: Db, userId: string, since: Date): Promise<{ type: string; payload: unknown }[]> {
  return db.selectFrom('events').select(['type', 'payload']).where('userId', '=', userId).where('occurredAt', '>=', since).orderBy('occurredAt').execute()
}

/** Which of these user ids still have a profile (an erasure deletes it). */
export async function withProfiles(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set()
  // One array parameter: a learned segment may have more members than a statement has parameters.
  const rows = await db
    .selectFrom('profiles')
    .select('userId')
    .where(sql<boolean>`user_id = any(${[...userIds]}::text[])`)
    .execute()
  return new Set(rows.map((r) => r.userId))
}
