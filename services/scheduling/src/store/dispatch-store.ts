import type { DeliveryChannel } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { CampaignContent, DeliveryGroup, DeliveryNote, SchedulingDb } from '../db.ts'

type Db = Kysely<SchedulingDb>

/** A due delivery with what sending it needs, leased to the claiming dispatcher. */
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
 * Claims up to `limit` deliveries due at `now` (scheduled, due_at ≤ now, no lease or an ended
 * one), oldest first, in one statement: the rows are picked with `FOR UPDATE SKIP LOCKED` (rows
 * another dispatcher is claiming are passed over) and leased until `leaseUntil`, which is also the
 * claim's token for `recordOutcomes`. Nothing stays locked afterwards: the webhooks are called
 * outside any transaction. A crashed claimer's rows are claimed again once the lease ends. Rows
 * of a campaign cancelled while they were held are cancelled here instead of claimed.
 *
 * One dispatcher at a time sends to a user on a capped channel: such a delivery is passed over
 * while another of the same user and channel is leased (in flight elsewhere), and claims are taken
 * one at a time per schema (a transaction-scoped advisory lock around the statement; claims are
 * short), so two replicas cannot both check the cap against what was sent and then both send past
 * it. The one passed over is claimed once the other is recorded, and its cap check counts it. The
 * in-flight check is written under an OR so Postgres runs it per candidate, and only for capped
 * users, instead of as an anti-join over every leased row.
 */
export async function claimDue(
  db: Db,
  schema: string,
  now: Date,
  limit: number,
  leaseUntil: Date,
  o: { lookFirst?: boolean } = {},
): Promise<ClaimedDelivery[]> {
  const d = sql.id(schema, 'deliveries')
  const c = sql.id(schema, 'campaigns')
  const p = sql.id(schema, 'user_preferences')
  /** A delivery row `x` due at `now` and not leased. */
  const dueNow = sql`x.status = 'scheduled' and x.due_at <= ${now} and (x.claimed_until is null or x.claimed_until <= ${now})`
  // Most polls find nothing due: one read through the due index instead of a transaction, the
  // lock and the claim (four round trips every DISPATCH_POLL_MS on every replica). Skipped
  // (`lookFirst: false`) for the batch after a full one.
  if (o.lookFirst !== false) {
    const due = await sql`select 1 from ${d} x where ${dueNow} limit 1`.execute(db)
    if (due.rows.length === 0) return []
  }
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`${schema}.claim-deliveries`}))`.execute(trx)
    const r = await sql<ClaimedDelivery & { live: boolean }>`
      with due as (
        select x.delivery_id, y.status = 'scheduled' as live
        from ${d} x join ${c} y on y.campaign_id = x.campaign_id
        where ${dueNow}
          and (
            not exists (
              select 1 from ${p} u where u.user_id = x.user_id and jsonb_typeof(u.frequency_caps -> x.channel::text) = 'object'
            )
            or not exists (
              select 1 from ${d} z
              where z.user_id = x.user_id and z.channel = x.channel and z.delivery_id <> x.delivery_id
                and z.status = 'scheduled' and z.claimed_until > ${now}
            )
          )
        order by x.due_at
        limit ${limit}
        for update of x skip locked
      )
      update ${d} t set
        claimed_until = case when due.live then ${leaseUntil}::timestamptz end,
        status = case when due.live then t.status else 'cancelled' end,
        updated_at = case when due.live then t.updated_at else ${now} end
      from due, ${c} k
      where t.delivery_id = due.delivery_id and k.campaign_id = t.campaign_id
      returning t.delivery_id, t.campaign_id, t.user_id, t.channel, t.grp, t.send_at, t.attempts, t.notes, k.content, k.webhook_url, due.live
    `.execute(trx)
    return r.rows.filter((x) => x.live).map(({ live: _, ...x }) => x)
  })
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

/**
 * Writes every outcome of a batch with one statement and ends the lease, for the deliveries still
 * held under this claim (`leaseUntil`): one whose lease ran out and was claimed again, or that was
 * cancelled or taken for re-planning meanwhile, is left to its new owner. Returns the ids written.
 */
export async function recordOutcomes(trx: Db, schema: string, outcomes: DispatchOutcome[], now: Date, leaseUntil: Date): Promise<Set<string>> {
  if (outcomes.length === 0) return new Set()
  const col = <T>(f: (o: DispatchOutcome) => T) => sql.val(outcomes.map(f))
  const r = await sql<{ deliveryId: string }>`
    update ${sql.id(schema, 'deliveries')} d set status = o.status, attempts = o.attempts, due_at = o.due_at, send_at = o.send_at,
      last_error = o.last_error, sent_at = o.sent_at, notes = o.notes, claimed_until = null, updated_at = ${now}
    from unnest(
      ${col((o) => o.deliveryId)}::uuid[], ${col((o) => o.status)}::text[], ${col((o) => o.attempts)}::int[], ${col((o) => o.dueAt.toISOString())}::timestamptz[],
      ${col((o) => o.sendAt.toISOString())}::timestamptz[], ${col((o) => o.lastError)}::text[], ${col((o) => o.sentAt?.toISOString() ?? null)}::timestamptz[],
      ${col((o) => JSON.stringify(o.notes))}::jsonb[]
    ) as o(delivery_id, status, attempts, due_at, send_at, last_error, sent_at, notes)
    where d.delivery_id = o.delivery_id and d.status = 'scheduled' and d.claimed_until = ${leaseUntil}::timestamptz
    returning d.delivery_id
  `.execute(trx)
  return new Set(r.rows.map((x) => x.deliveryId))
}

/** Key of a user's deliveries on a channel in `sentTimes`. */
export const userChannelKey = (userId: string, channel: string) => `${userId}\u0000${channel}`

/**
 * When each of these users' deliveries on these channels were sent, from `since` on (what a
 * frequency cap counts at dispatch), keyed by `userChannelKey`.
 */
export async function sentTimes(db: Db, userIds: readonly string[], channels: readonly DeliveryChannel[], since: Date): Promise<Map<string, Date[]>> {
  const out = new Map<string, Date[]>()
  if (userIds.length === 0 || channels.length === 0) return out
  const rows = await db
    .selectFrom('deliveries')
    .select(['userId', 'channel', 'sentAt'])
    .where('userId', 'in', userIds)
    .where('channel', 'in', channels)
    .where('status', '=', 'sent')
    .where('sentAt', '>=', since)
    .execute()
  for (const r of rows) {
    if (!r.sentAt) continue
    const key = userChannelKey(r.userId, r.channel)
    const list = out.get(key)
    if (list) list.push(r.sentAt)
    else out.set(key, [r.sentAt])
  }
  return out
}
