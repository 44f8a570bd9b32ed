import { type Kysely, sql } from 'kysely'
import type { SchedulingDb } from '../db.ts'

type Db = Kysely<SchedulingDb>

/** An engagement counts for a delivery sent at most this long before it. */
export const ATTRIBUTION_WINDOW_HOURS = 24

/**
 * Marks sent deliveries as engaged when their user engaged within the attribution window after
 * the send (the first engagement wins): what the per-campaign uplift is measured on. One statement per batch.
 */
export async function attributeEngagements(db: Db, schema: string, engagements: { userId: string; at: Date }[]): Promise<void> {
  if (engagements.length === 0) return
  await sql`
    update ${sql.id(schema, 'deliveries')} d set engaged_at = e.at
    from (select user_id, at from unnest(${sql.val(engagements.map((e) => e.userId))}::text[], ${sql.val(engagements.map((e) => e.at.toISOString()))}::timestamptz[]) as x(user_id, at)) e
    where d.user_id = e.user_id and d.status = 'sent' and d.engaged_at is null
      and d.sent_at <= e.at and d.sent_at > e.at - make_interval(hours => ${ATTRIBUTION_WINDOW_HOURS})
  `.execute(db)
}
