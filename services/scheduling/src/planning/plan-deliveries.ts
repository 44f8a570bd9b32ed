import type { DeliveryChannel } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { DeliveryGroup, SchedulingDb, Strategy } from '../db.ts'
import { type CampaignTiming, hourInstant, needsAudienceSlot, type PlanWindow, planRecipient, type Recipient, windowHours } from '../domain/plan-deliveries.ts'
import type { ModelOptions } from '../domain/user-activity.ts'
import { activeSendTimes, insertDeliveries, type NewDelivery } from '../store/deliveries-store.ts'
import { writeOverlapped } from './overlapped-writes.ts'
import { addToAudience, audienceBestHour, type RecipientData, recipientMaker } from './recipients.ts'

const DAY_MS = 86_400_000

export interface PlanContext {
  now: Date
  model: ModelOptions
  defaultTimeZone: string
  random: () => number
}

export interface PlanRequest {
  campaignId: string
  channel: DeliveryChannel
  strategy: Strategy
  sendAt: Date | null
  window: PlanWindow | null
  holdoutShare: number
  /** Recipients; `group` set when re-planning keeps the group drawn at creation. */
  users: { userId: string; group?: DeliveryGroup }[]
}

/** Deliveries planned and written per insert; the next chunk is planned while one is written. */
const WRITE_CHUNK = 10_000

/**
 * Plans every recipient of a campaign inside the caller's transaction, from the data read before it
 * (`loadRecipientData`) and the deliveries caps count, read here under the lock, and writes the
 * deliveries. A transaction-scoped advisory lock serialises planning, so two campaigns planned at
 * once cannot both take the last slot of a user's frequency cap.
 *
 * Recipients are scored and planned chunk by chunk while the previous chunk is inserted (the
 * insert is Postgres's work, the scoring ours). Those who take the audience's slot (personalization
 * off, no scores, the audience strategy) wait until every recipient has been scored and the slot
 * is known. Each user is planned once, so the order does not change what the caps allow, and the
 * random draws (group, then the holdout's time) are made first, in recipient order. Returns how
 * many deliveries were planned.
 */
export async function planDeliveries(trx: Kysely<SchedulingDb>, schema: string, c: PlanContext, r: PlanRequest, data: RecipientData): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtext('attune.scheduling.plan'))`.execute(trx)
  const window = r.strategy === 'fixed' ? undefined : (r.window ?? undefined)
  const from = r.sendAt ?? window?.start ?? c.now
  const to = r.sendAt ?? window?.end ?? c.now
  const userIds = r.users.map((u) => u.userId)
  const existing = await activeSendTimes(trx, userIds, r.channel, { from: new Date(from.getTime() - 8 * DAY_MS), to: new Date(to.getTime() + 9 * DAY_MS) })
  const recipientOf = recipientMaker(data, existing, { channel: r.channel, window, now: c.now, model: c.model, defaultTimeZone: c.defaultTimeZone })
  const span = window ? window.end.getTime() - window.start.getTime() : 0
  const holdouts = r.users.map((u) => {
    const group = u.group ?? (window && c.random() < r.holdoutShare ? 'holdout' : 'personalized')
    return group === 'holdout' && window ? { randomAt: new Date(window.start.getTime() + Math.floor(c.random() * span)) } : undefined
  })
  let timing: CampaignTiming = window
    ? { strategy: r.strategy === 'audience_best' ? 'audience_best' : 'best_time', window, audience: undefined }
    : { strategy: 'fixed', sendAt: r.sendAt ?? c.now, notBefore: c.now }
  const audience = new Float64Array(window ? windowHours(window) : 0)
  const plan = (rec: Recipient, i: number): NewDelivery => {
    const p = planRecipient(rec, timing, holdouts[i])
    return { userId: rec.userId, group: p.group, status: p.status, sendAt: p.sendAt, preferredAt: p.preferredAt, reason: p.reason, notes: p.notes }
  }

  function* chunks(): Generator<NewDelivery[]> {
    const waiting: { rec: Recipient; i: number }[] = []
    for (let start = 0; start < userIds.length; start += WRITE_CHUNK) {
      const rows: NewDelivery[] = []
      for (let i = start; i < Math.min(start + WRITE_CHUNK, userIds.length); i++) {
        const rec = recipientOf(userIds[i] as string)
        addToAudience(audience, rec)
        if (needsAudienceSlot(rec, timing, holdouts[i] !== undefined)) waiting.push({ rec, i })
        else rows.push(plan(rec, i))
      }
      if (rows.length > 0) yield rows
    }
    if (window && timing.strategy !== 'fixed') {
      const hour = audienceBestHour(audience)
      const at = hourInstant(window, hour)
      const reason = `the audience's best slot, ${at.toISOString()}: most of the ${userIds.length} recipients engage then`
      timing = { ...timing, audience: { hour, reason } }
    }
    for (let start = 0; start < waiting.length; start += WRITE_CHUNK) yield waiting.slice(start, start + WRITE_CHUNK).map((w) => plan(w.rec, w.i))
  }
  await writeOverlapped(chunks(), (rows) => insertDeliveries(trx, schema, { campaignId: r.campaignId, channel: r.channel }, rows, c.now))
  return userIds.length
}
