import type { Kysely } from 'kysely'
import type { SentimentDb, SpikeAlertsTable } from '../db.ts'

/**
 * Stores an alert unless one exists for the same key and window (another replica raised it first;
 * the unique index waits for its transaction). True when this call stored it and so may publish it.
 */
export async function insertAlert(db: Kysely<SentimentDb>, alert: SpikeAlertsTable): Promise<boolean> {
  const row = await db
    .insertInto('spikeAlerts')
    .values(alert)
    .onConflict((oc) => oc.columns(['dimension', 'key', 'windowStart']).doNothing())
    .returning('alertId')
    .executeTakeFirst()
  return row !== undefined
}

/** Whether an alert on this key was raised at or after `since` (the cooldown). */
export async function alertedSince(db: Kysely<SentimentDb>, dimension: 'item' | 'topic', key: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('spikeAlerts')
    .select('alertId')
    .where('dimension', '=', dimension)
    .where('key', '=', key)
    .where('detectedAt', '>=', since)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export async function listAlerts(db: Kysely<SentimentDb>, q: { dimension?: 'item' | 'topic'; key?: string; limit: number }): Promise<SpikeAlertsTable[]> {
  let query = db.selectFrom('spikeAlerts').selectAll()
  if (q.dimension) query = query.where('dimension', '=', q.dimension)
  if (q.key) query = query.where('key', '=', q.key)
  return query.orderBy('detectedAt', 'desc').orderBy('alertId').limit(q.limit).execute()
}
