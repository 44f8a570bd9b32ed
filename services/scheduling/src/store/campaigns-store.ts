import { type Kysely, type Selectable, sql } from 'kysely'
import type { CampaignsTable, SchedulingDb } from '../db.ts'

type Db = Kysely<SchedulingDb>

export type Campaign = Selectable<CampaignsTable>

export type NewCampaign = Omit<Campaign, 'content' | 'audience'> & { content: string; audience: string }

export async function insertCampaign(db: Db, c: NewCampaign): Promise<void> {
  await db.insertInto('campaigns').values(c).execute()
}

export async function getCampaign(db: Db, campaignId: string, opts: { forUpdate?: boolean } = {}): Promise<Campaign | undefined> {
  let q = db.selectFrom('campaigns').selectAll().where('campaignId', '=', campaignId)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function updateCampaign(
  db: Db,
  campaignId: string,
  set: Partial<Pick<Campaign, 'status' | 'sendAt' | 'windowStart' | 'windowEnd' | 'updatedAt'>>,
): Promise<void> {
  await db.updateTable('campaigns').set(set).where('campaignId', '=', campaignId).execute()
}

/** One calendar row: a campaign's deliveries on one local day. */
export interface CalendarRow {
  date: string
  campaignId: string
  name: string
  channel: string
  strategy: string
  status: string
  scheduled: number
  sent: number
  failed: number
  skipped: number
  cancelled: number
  firstAt: Date
  lastAt: Date
}

/** Deliveries in [from, to) grouped by campaign and local day in `timeZone`. */
export async function calendarRows(db: Db, schema: string, from: Date, to: Date, timeZone: string): Promise<CalendarRow[]> {
  const r = await sql<CalendarRow>`
    select to_char((d.send_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as date, c.campaign_id, c.name, c.channel, c.strategy, c.status,
      count(*) filter (where d.status = 'scheduled')::int as scheduled, count(*) filter (where d.status = 'sent')::int as sent,
      count(*) filter (where d.status = 'failed')::int as failed, count(*) filter (where d.status = 'skipped')::int as skipped,
      count(*) filter (where d.status = 'cancelled')::int as cancelled, min(d.send_at) as first_at, max(d.send_at) as last_at
    from ${sql.id(schema, 'deliveries')} d join ${sql.id(schema, 'campaigns')} c on c.campaign_id = d.campaign_id
    where d.send_at >= ${from} and d.send_at < ${to}
    group by 1, c.campaign_id
    order by 1, min(d.send_at), c.campaign_id
  `.execute(db)
  return r.rows
}
