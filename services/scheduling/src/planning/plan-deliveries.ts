import { randomUUID } from 'node:crypto'
import type { DeliveryChannel } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { DeliveryGroup, SchedulingDb, Strategy } from '../db.ts'
import { type CampaignTiming, hourInstant, type PlanWindow, planRecipient, windowHours } from '../domain/plan-deliveries.ts'
import type { ModelOptions } from '../domain/user-activity.ts'
import { activeSendTimes, type NewDelivery } from '../store/deliveries-store.ts'
import { audienceBestHour, buildRecipients, type RecipientData } from './recipients.ts'

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

/**
 * Plans every recipient of a campaign inside the caller's transaction, from the data read before it
 * (`loadRecipientData`) and the deliveries caps count, read here under the lock. A transaction-scoped
 * advisory lock serialises planning, so two campaigns planned at once cannot both take the last
 * slot of a user's frequency cap.
 */
export async function planDeliveries(trx: Kysely<SchedulingDb>, c: PlanContext, r: PlanRequest, data: RecipientData): Promise<NewDelivery[]> {
  await sql`select pg_advisory_xact_lock(hashtext('attune.scheduling.plan'))`.execute(trx)
  const window = r.strategy === 'fixed' ? undefined : (r.window ?? undefined)
  const from = r.sendAt ?? window?.start ?? c.now
  const to = r.sendAt ?? window?.end ?? c.now
  const userIds = r.users.map((u) => u.userId)
  const existing = await activeSendTimes(trx, userIds, r.channel, { from: new Date(from.getTime() - 8 * DAY_MS), to: new Date(to.getTime() + 9 * DAY_MS) })
  const recipients = buildRecipients(data, userIds, existing, { channel: r.channel, window, now: c.now, model: c.model, defaultTimeZone: c.defaultTimeZone })
  let timing: CampaignTiming
  if (!window) timing = { strategy: 'fixed', sendAt: r.sendAt ?? c.now, notBefore: c.now }
  else {
    const hour = audienceBestHour(recipients, windowHours(window))
    const at = hourInstant(window, hour)
    timing = {
      strategy: r.strategy === 'audience_best' ? 'audience_best' : 'best_time',
      window,
      audienceHour: hour,
      audienceReason: `the audience's best slot, ${at.toISOString()}: most of the ${recipients.length} recipients engage then`,
    }
  }
  const span = window ? window.end.getTime() - window.start.getTime() : 0
  return recipients.map((rec, i) => {
    const group = r.users[i]?.group ?? (window && c.random() < r.holdoutShare ? 'holdout' : 'personalized')
    const holdout = group === 'holdout' && window ? { randomAt: new Date(window.start.getTime() + Math.floor(c.random() * span)) } : undefined
    const plan = planRecipient(rec, timing, holdout)
    return {
      deliveryId: randomUUID(),
      campaignId: r.campaignId,
      userId: rec.userId,
      channel: r.channel,
      group: plan.group,
      status: plan.status,
      sendAt: plan.sendAt,
      preferredAt: plan.preferredAt,
      reason: plan.reason,
      notes: plan.notes,
    }
  })
}
