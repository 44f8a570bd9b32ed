import type { PreferencesInput } from '@attune/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { type ConsentRecordRow, consentRecordRows } from './consents-store.ts'

type Db = Kysely<ProfilingDb>

export interface StoredPreferences {
  document: Record<string, unknown>
  updatedAt: Date
}

// Read as text: CamelCasePlugin would otherwise rename the document's own keys (`in_app` → `inApp`).
const documentText = sql<string>`document::text`.as('document')
const parsed = (row: { document: string; updatedAt: Date }): StoredPreferences => ({ document: JSON.parse(row.document), updatedAt: row.updatedAt })

export async function findPreferences(db: Db, userId: string): Promise<StoredPreferences | undefined> {
  const row = await db.selectFrom('preferences').select([documentText, 'updatedAt']).where('userId', '=', userId).executeTakeFirst()
  return row && parsed(row)
}

/**
 * Locks the user's preferences row for the rest of the transaction (creating it when missing, so
 * two first writes cannot both merge into the defaults) and returns what was stored before, if
 * anything.
 */
export async function lockPreferences(trx: Transaction<ProfilingDb>, userId: string, now: Date): Promise<StoredPreferences | undefined> {
  const created = await trx
    .insertInto('preferences')
    .values({ userId, document: '{}', updatedAt: now })
    .onConflict((oc) => oc.column('userId').doNothing())
    .returning('userId')
    .executeTakeFirst()
  const row = await trx.selectFrom('preferences').select([documentText, 'updatedAt']).where('userId', '=', userId).forUpdate().executeTakeFirstOrThrow()
  return created ? undefined : parsed(row)
}

export async function savePreferences(db: Db, userId: string, settings: PreferencesInput, now: Date): Promise<StoredPreferences> {
  const document = JSON.stringify(settings)
  const row = await db
    .insertInto('preferences')
    .values({ userId, document, updatedAt: now })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ document, updatedAt: now }))
    .returning([documentText, 'updatedAt'])
    .executeTakeFirstOrThrow()
  return parsed(row)
}

/** Deletes a user's preferences and whole consent history (erasure); returns the rows deleted per table. */
export async function eraseUserPreferencesAndConsents(trx: Db, userId: string): Promise<{ preferences: number; consentRecords: number }> {
  const prefs = await trx.deleteFrom('preferences').where('userId', '=', userId).executeTakeFirst()
  const consents = await trx.deleteFrom('consentRecords').where('userId', '=', userId).executeTakeFirst()
  return { preferences: Number(prefs.numDeletedRows), consentRecords: Number(consents.numDeletedRows) }
}

/** Everything stored about a user's preferences and consents (data export): the settings as stored and the consent history, oldest first. */
export async function exportUserPreferencesAndConsents(
  db: Db,
  userId: string,
): Promise<{ preferences: StoredPreferences | null; consentRecords: ConsentRecordRow[] }> {
  const [preferences, consentRecords] = await Promise.all([findPreferences(db, userId), consentRecordRows(db, userId)])
  return { preferences: preferences ?? null, consentRecords }
}
