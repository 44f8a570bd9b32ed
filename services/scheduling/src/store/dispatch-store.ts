import type { DeliveryChannel } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { CampaignContent, DeliveryGroup, DeliveryNote, SchedulingDb } from '../db.ts'

type Db = Kysely<SchedulingDb>

/** A due delivery with what sending it needs, locked by the claiming transaction. */
export interface ClaimedDelivery {
  deliveryId: string
  campaignId: string
  userId: string
  channel: DeliveryChannel
  grp: DeliveryGroup
  sendAt: Date
  attempts: number
  notes: DeliveryNote[]
  content: CampaignContent
  webhookUrl: string
}

/**
 * Claims up to `limit` deliveries due at `now` (scheduled, due_at ≤ now), oldest first, with
 * `FOR UPDATE SKIP LOCKED`: rows another dispatcher holds are passed over, so replicas never
 * send the same delivery at the same time, and a crash releases the rows with the transaction.
 */
export async function claimDue(trx: Db, now: Date, limit: number): Promise<ClaimedDelivery[]> {
  return trx
    .selectFrom('deliveries as d')
    .innerJoin('campaigns as c', 'c.campaignId', 'd.campaignId')
    .select(['d.deliveryId', 'd.campaignId', 'd.userId', 'd.channel', 'd.grp', 'd.sendAt', 'd.attempts', 'd.notes', 'c.content', 'c.webhookUrl'])
    .where('d.status', '=', 'scheduled')
    .where('d.dueAt', '<=', now)
    .orderBy('d.dueAt')
    .limit(limit)
    .forUpdate('d')
    .skipLocked()
    .execute()
}

/** The outcome of one claimed delivery. */
export interface DispatchOutcome {
  deliveryId: string
  status: 'scheduled' | 'sent' | 'failed' | 'skipped'
  attempts: number
  dueAt: Date
  sendAt: Date
  lastError: string | null
  sentAt: Date | null
  notes: DeliveryNote[]
}

/** Writes every outcome of a batch with one statement. */
export async function recordOutcomes(trx: Db, schema: string, outcomes: DispatchOutcome[], now: Date): Promise<void> {
  if (outcomes.length === 0) return
  const col = <T>(f: (o: DispatchOutcome) => T) => sql.val(outcomes.map(f))
  await sql`
    update ${sql.id(schema, 'deliveries')} d set status = o.status, attempts = o.attempts, due_at = o.due_at, send_at = o.send_at,
      last_error = o.last_error, sent_at = o.sent_at, notes = o.notes, updated_at = ${now}
    from unnest(
      ${col((o) => o.deliveryId)}::uuid[], ${col((o) => o.status)}::text[], ${col((o) => o.attempts)}::int[], ${col((o) => o.dueAt.toISOString())}::timestamptz[],
      ${col((o) => o.sendAt.toISOString())}::timestamptz[], ${col((o) => o.lastError)}::text[], ${col((o) => o.sentAt?.toISOString() ?? null)}::timestamptz[],
      ${col((o) => JSON.stringify(o.notes))}::jsonb[]
    ) as o(delivery_id, status, attempts, due_at, send_at, last_error, sent_at, notes)
    where d.delivery_id = o.delivery_id
  `.execute(trx)
}
