import { DeliveryEventTypes, type DeliveryFailedData, type DeliverySentData, type DeliveryWebhookPayload, EventTypes } from '@attune/contracts'
import { makeEvent, type OutboxMessage, type ServiceContext } from '@attune/kit'
import type { SchedulingConfig } from '../config.ts'
import type { SchedulingDb } from '../db.ts'
import { retryDelayMs } from '../domain/backoff.ts'
import { channelBlock, quietHoursOf } from '../domain/guards.ts'
import { moveOutOfQuietHours } from '../domain/quiet-hours.ts'
import { loadConsents } from '../store/consents-store.ts'
import { type ClaimedDelivery, claimDue, type DispatchOutcome, recordOutcomes } from '../store/dispatch-store.ts'
import { DEFAULT_CHANNELS, loadPreferences } from '../store/preferences-store.ts'
import { capsAtDispatch } from './caps-at-dispatch.ts'
import type { WebhookClient } from './webhook-client.ts'

export interface DispatcherOptions {
  batchSize: number
  concurrency: number
  maxAttempts: number
  retryBaseMs: number
  /** How long a claimed batch is held before another replica may claim it again (longer than a batch can take). */
  leaseMs: number
  defaultTimeZone: string
}

export interface DispatchStats {
  claimed: number
  sent: number
  retried: number
  failed: number
  skipped: number
  moved: number
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/**
 * The durable dispatcher, in three short steps per batch: claim due deliveries (one statement:
 * `FOR UPDATE SKIP LOCKED`, then a lease until `leaseMs` from now), check the guards again with
 * the latest preferences and consents (a user may have opted out or set quiet hours since
 * planning) and the frequency cap against what was sent, POST the rest outside any transaction,
 * then record every outcome with `delivery.sent` / `delivery.failed` in the outbox in one
 * transaction, for the deliveries still held under this claim. A crash before the record leaves
 * the rows scheduled and leased: once the lease ends another replica sends them again with the
 * same idempotency key (at-least-once), and nothing is sent before its due time.
 */
export function createDispatcher(ctx: ServiceContext<SchedulingDb, SchedulingConfig>, client: WebhookClient, o: DispatcherOptions) {
  const topic = ctx.topic('deliveries')

  function guardOutcome(
    d: ClaimedDelivery,
    now: Date,
    prefs: Awaited<ReturnType<typeof loadPreferences>>,
    consents: Awaited<ReturnType<typeof loadConsents>>,
    caps: Awaited<ReturnType<typeof capsAtDispatch>>,
  ) {
    const p = prefs.get(d.userId)
    const g = {
      channels: p?.channels ?? DEFAULT_CHANNELS,
      quietStart: p?.quietStart ?? null,
      quietEnd: p?.quietEnd ?? null,
      nonPersonalized: p?.nonPersonalized ?? false,
      consents: consents.get(d.userId),
    }
    const blocked = channelBlock(d.channel, g)
    const base = { deliveryId: d.deliveryId, attempts: d.attempts, lastError: null, sentAt: null }
    if (blocked) {
      const notes = [...d.notes, { guard: blocked.guard, action: 'skipped' as const, detail: `at dispatch: ${blocked.detail}` }]
      return { ...base, status: 'skipped' as const, dueAt: now, sendAt: d.sendAt, notes }
    }
    const quiet = quietHoursOf(g)
    if (quiet) {
      const tz = p?.timeZone ?? o.defaultTimeZone
      const at = moveOutOfQuietHours(now, tz, quiet, now, new Date(now.getTime() + 2 * 86_400_000))
      if (at && at.getTime() !== now.getTime()) {
        const notes = [
          ...d.notes,
          { guard: 'quiet_hours' as const, action: 'moved' as const, detail: `at dispatch: quiet hours now; moved to ${at.toISOString()}` },
        ]
        return { ...base, status: 'scheduled' as const, dueAt: at, sendAt: at, notes }
      }
    }
    const overCap = caps.take(d)
    if (overCap) {
      const notes = [...d.notes, { guard: 'frequency_cap' as const, action: 'skipped' as const, detail: `at dispatch: ${overCap}` }]
      return { ...base, status: 'skipped' as const, dueAt: now, sendAt: d.sendAt, notes }
    }
    return undefined
  }

  /** One batch; `lookFirst: false` when the last batch was full (something is surely due). */
  async function runOnce(lookFirst = true): Promise<DispatchStats> {
    const now = ctx.clock()
    const leaseUntil = new Date(now.getTime() + o.leaseMs)
    const stats: DispatchStats = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, moved: 0 }
    // 1. Claim: one short statement; nothing stays locked while the webhooks are called.
    const claimed = await claimDue(ctx.db, ctx.schema, now, o.batchSize, leaseUntil, { lookFirst })
    stats.claimed = claimed.length
    if (claimed.length === 0) return stats
    const users = [...new Set(claimed.map((d) => d.userId))]
    const [prefs, consents] = await Promise.all([loadPreferences(ctx.db, users), loadConsents(ctx.db, users)])
    const caps = await capsAtDispatch(ctx.db, claimed, prefs, now, o.defaultTimeZone)
    const outcomes: DispatchOutcome[] = []
    const toSend: ClaimedDelivery[] = []
    for (const d of claimed) {
      const g = guardOutcome(d, now, prefs, consents, caps)
      if (!g) toSend.push(d)
      else outcomes.push(g)
    }
    // 2. Deliver, outside any transaction.
    const results = await pool(toSend, o.concurrency, (d) => {
      const payload: DeliveryWebhookPayload = {
        deliveryId: d.deliveryId,
        campaignId: d.campaignId,
        userId: d.userId,
        channel: d.channel,
        scheduledFor: d.sendAt.toISOString(),
        content: { ...d.content },
      }
      return client.post(d.webhookUrl, d.deliveryId, JSON.stringify(payload))
    })
    const events: (OutboxMessage & { deliveryId: string })[] = []
    // Retries wait from when the attempt failed, not from when the batch was claimed.
    const answeredAt = ctx.clock()
    toSend.forEach((d, i) => {
      const r = results[i]
      const attempts = d.attempts + 1
      const common = {
        deliveryId: d.deliveryId,
        campaignId: d.campaignId,
        userId: d.userId,
        channel: d.channel,
        group: d.grp,
        scheduledFor: d.sendAt.toISOString(),
        attempts,
      }
      if (r?.ok) {
        outcomes.push({ deliveryId: d.deliveryId, status: 'sent', attempts, dueAt: now, sendAt: d.sendAt, lastError: null, sentAt: answeredAt, notes: d.notes })
        const data: DeliverySentData = { ...common, sentAt: answeredAt.toISOString() }
        events.push({
          deliveryId: d.deliveryId,
          topic,
          key: d.userId,
          event: makeEvent({ ...EventTypes.deliverySent, source: ctx.name, subject: d.userId, data }, now),
        })
        return
      }
      const error = (r?.error ?? 'unknown error').slice(0, 2000)
      if (attempts >= o.maxAttempts) {
        outcomes.push({ deliveryId: d.deliveryId, status: 'failed', attempts, dueAt: now, sendAt: d.sendAt, lastError: error, sentAt: null, notes: d.notes })
        const data: DeliveryFailedData = { ...common, failedAt: answeredAt.toISOString(), error }
        events.push({
          deliveryId: d.deliveryId,
          topic,
          key: d.userId,
          event: makeEvent({ ...DeliveryEventTypes.deliveryFailed, source: ctx.name, subject: d.userId, data }, now),
        })
        return
      }
      const dueAt = new Date(answeredAt.getTime() + retryDelayMs(attempts, o.retryBaseMs))
      outcomes.push({ deliveryId: d.deliveryId, status: 'scheduled', attempts, dueAt, sendAt: d.sendAt, lastError: error, sentAt: null, notes: d.notes })
    })
    // 3. Record: outcomes and their events in one short transaction, for the deliveries still held
    // under this claim (one whose lease ran out belongs to whoever claimed it again).
    const attemptsBefore = new Map(claimed.map((d) => [d.deliveryId, d.attempts]))
    await ctx.transaction(async (trx, emit) => {
      const recorded = await recordOutcomes(trx, ctx.schema, outcomes, answeredAt, leaseUntil)
      for (const x of outcomes) {
        if (!recorded.has(x.deliveryId)) continue
        if (x.status === 'sent') stats.sent++
        else if (x.status === 'failed') stats.failed++
        else if (x.status === 'skipped') stats.skipped++
        else if (x.attempts > (attemptsBefore.get(x.deliveryId) ?? 0)) stats.retried++
        else stats.moved++
      }
      await emit(events.filter((e) => recorded.has(e.deliveryId)).map(({ deliveryId: _, ...m }) => m))
    })
    return stats
  }

  return {
    runOnce,
    /** Sends everything due now, batch after batch; returns the totals. */
    async drain(): Promise<DispatchStats> {
      const total: DispatchStats = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, moved: 0 }
      // A batch after a full one surely finds something due: no look first.
      for (let lookFirst = true; ; lookFirst = false) {
        const s = await runOnce(lookFirst)
        for (const k of Object.keys(total) as (keyof DispatchStats)[]) total[k] += s[k]
        if (s.claimed < o.batchSize) return total
      }
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
