import type { DeliveryChannel } from '@attune/contracts'
import { type Kysely, type Selectable, sql } from 'kysely'
import type { DeliveriesTable, DeliveryGroup, DeliveryNote, DeliveryStatus, SchedulingDb } from '../db.ts'
import { numberArray, textArray } from './pg-arrays.ts'

type Db = Kysely<SchedulingDb>

export type Delivery = Selectable<DeliveriesTable>

/** A planned delivery of a campaign, ready to insert (Postgres draws its id). */
export interface NewDelivery {
  userId: string
  group: DeliveryGroup
  status: 'scheduled' | 'skipped'
  sendAt: Date
  preferredAt: Date
  reason: string
  notes: DeliveryNote[]
}

/**
 * Inserts a campaign's deliveries with one `unnest` statement per 10,000. Each column goes as one
 * array literal (`pg-arrays.ts`) and times as epoch milliseconds: for a 100k-user campaign the
 * driver's per-element conversion of ten columns was most of the client's share of the insert.
 */
export async function insertDeliveries(
  db: Db,
  schema: string,
  campaign: { campaignId: string; channel: DeliveryChannel },
  rows: readonly NewDelivery[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    const c = rows.slice(i, i + 10_000)
    const sendMs = c.map((r) => r.sendAt.getTime())
    await sql`
      insert into ${sql.id(schema, 'deliveries')} (delivery_id, campaign_id, user_id, channel, grp, status, send_at, preferred_at, due_at, reason, notes, updated_at)
      select gen_random_uuid(), ${campaign.campaignId}::uuid, d.user_id, ${campaign.channel}, d.grp, d.status, to_timestamp(d.send_ms / 1000),
        to_timestamp(d.preferred_ms / 1000), to_timestamp(d.send_ms / 1000), d.reason, d.notes, ${now}
      from unnest(
        ${textArray(c.map((r) => r.userId))}::text[], ${textArray(c.map((r) => r.group))}::text[], ${textArray(c.map((r) => r.status))}::text[],
        ${numberArray(sendMs)}::float8[], ${numberArray(c.map((r) => r.preferredAt.getTime()))}::float8[],
        ${textArray(c.map((r) => r.reason))}::text[], ${textArray(c.map((r) => (r.notes.length === 0 ? '[]' : JSON.stringify(r.notes))))}::jsonb[]
      ) as d(user_id, grp, status, send_ms, preferred_ms, reason, notes)
    `.execute(db)
  }
}

/** Send times of each user's scheduled or sent deliveries on a channel in a range (what caps count). */
export async function activeSendTimes(db: Db, userIds: readonly string[], channel: string, range: { from: Date; to: Date }): Promise<Map<string, Date[]>> {
  const out = new Map<string, Date[]>()
  for (let i = 0; i < userIds.length; i += 20_000) {
    const rows = await db
      .selectFrom('deliveries')
      .select(['userId', 'sendAt'])
      .where('userId', '=', sql<string>`any(${textArray(userIds.slice(i, i + 20_000))}::text[])`)
      .where('channel', '=', channel as DeliveryChannel)
      .where('status', 'in', ['scheduled', 'sent'])
      .where('sendAt', '>=', range.from)
      .where('sendAt', '<=', range.to)
      .execute()
    for (const r of rows) {
      const list = out.get(r.userId)
      if (list) list.push(r.sendAt)
      else out.set(r.userId, [r.sendAt])
    }
  }
  return out
}

/** Deliveries a dispatcher is not holding (no lease, or an ended one): the ones that may still be cancelled or moved. */
const notHeld = (now: Date) => sql<boolean>`(claimed_until is null or claimed_until <= ${now})`

/**
 * Removes a campaign's still-scheduled deliveries (to plan them again), returning who they were
 * for. One a dispatcher is sending right now is left to finish.
 */
export async function takeScheduled(db: Db, campaignId: string, now: Date): Promise<{ userId: string; grp: DeliveryGroup }[]> {
  return db
    .deleteFrom('deliveries')
    .where('campaignId', '=', campaignId)
    .where('status', '=', 'scheduled')
    .where(notHeld(now))
    .returning(['userId', 'grp'])
    .execute()
}

/**
 * Cancels a campaign's scheduled deliveries. One a dispatcher is sending right now finishes first;
 * if that dispatcher dies, the next claim cancels it (the campaign is cancelled).
 */
export async function cancelScheduled(db: Db, campaignId: string, now: Date): Promise<number> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'cancelled', updatedAt: now })
    .where('campaignId', '=', campaignId)
    .where('status', '=', 'scheduled')
    .where(notHeld(now))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Cancels one delivery if it is still scheduled and not being sent right now; returns it as it now is. */
export async function cancelDelivery(db: Db, deliveryId: string, now: Date): Promise<Delivery | undefined> {
  await db
    .updateTable('deliveries')
    .set({ status: 'cancelled', updatedAt: now })
    .where('deliveryId', '=', deliveryId)
    .where('status', '=', 'scheduled')
    .where(notHeld(now))
    .execute()
  return getDelivery(db, deliveryId)
}

export async function getDelivery(db: Db, deliveryId: string): Promise<Delivery | undefined> {
  return db.selectFrom('deliveries').selectAll().where('deliveryId', '=', deliveryId).executeTakeFirst()
}

/** A page of a campaign's deliveries in id order, after `after`. */
export async function listDeliveries(db: Db, campaignId: string, o: { status?: DeliveryStatus; after?: string; limit: number }): Promise<Delivery[]> {
  let q = db.selectFrom('deliveries').selectAll().where('campaignId', '=', campaignId)
  if (o.status) q = q.where('status', '=', o.status)
  if (o.after) q = q.where('deliveryId', '>', o.after)
  return q.orderBy('deliveryId').limit(o.limit).execute()
}

/** Counts per status of a campaign's deliveries. */
export async function statusCounts(db: Db, campaignIds: readonly string[]): Promise<Map<string, Record<DeliveryStatus, number>>> {
  const out = new Map<string, Record<DeliveryStatus, number>>()
  if (campaignIds.length === 0) return out
  const rows = await db
    .selectFrom('deliveries')
    .select(['campaignId', 'status', sql<number>`count(*)::int`.as('n')])
    .where('campaignId', 'in', campaignIds)
    .groupBy(['campaignId', 'status'])
    .execute()
  for (const id of campaignIds) out.set(id, { scheduled: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0 })
  for (const r of rows) {
    const c = out.get(r.campaignId)
    if (c) c[r.status] = r.n
  }
  return out
}

/** Per group: sent and engaged; per guard and action: how many deliveries it touched. */
export async function campaignOutcomes(db: Db, schema: string, campaignId: string) {
  const [groups, guards] = await Promise.all([
    db
      .selectFrom('deliveries')
      .select(['grp', sql<number>`count(*) filter (where status = 'sent')::int`.as('sent'), sql<number>`count(engaged_at)::int`.as('engaged')])
      .where('campaignId', '=', campaignId)
      .groupBy('grp')
      .execute(),
    sql<{ guard: string; action: string; n: number }>`
      select n->>'guard' as guard, n->>'action' as action, count(*)::int as n
      from ${sql.id(schema, 'deliveries')} d, jsonb_array_elements(d.notes) n
      where d.campaign_id = ${campaignId}
      group by 1, 2 order by 1, 2
    `.execute(db),
  ])
  return { groups, guards: guards.rows }
}
