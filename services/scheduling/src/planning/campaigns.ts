import { randomUUID } from 'node:crypto'
import { erasedAfterCollection, erasureLockKey, errors, type ServiceContext, shareErasureLock } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { SchedulingConfig, SchedulingSettings } from '../config.ts'
import type { CampaignAudience, CampaignContent, SchedulingDb } from '../db.ts'
import type { ModelOptions } from '../domain/user-activity.ts'
import type { CampaignInput, Campaign as CampaignView, RescheduleInput } from '../schemas/campaigns.ts'
import { type Campaign, getCampaign, insertCampaign, updateCampaign } from '../store/campaigns-store.ts'
import { cancelScheduled, listDeliveries, statusCounts, takeScheduled } from '../store/deliveries-store.ts'
import { segmentMembers } from '../store/segments-store.ts'
import { planDeliveries } from './plan-deliveries.ts'
import { loadRecipientData } from './recipients.ts'
import { checkTiming, unknownField } from './validate.ts'

export interface CampaignDeps {
  ctx: ServiceContext<SchedulingDb, SchedulingConfig>
  settings: SchedulingSettings
  model: ModelOptions
  random: () => number
}

/** The API shape of a campaign with its delivery counts. */
export async function campaignView(deps: CampaignDeps, c: Campaign): Promise<CampaignView> {
  const counts = (await statusCounts(deps.ctx.db, [c.campaignId])).get(c.campaignId) ?? { scheduled: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0 }
  return {
    campaignId: c.campaignId,
    name: c.name,
    channel: c.channel,
    content: c.content,
    audience: c.audience,
    strategy: c.strategy,
    sendAt: c.sendAt?.toISOString() ?? null,
    window: c.windowStart && c.windowEnd ? { start: c.windowStart.toISOString(), end: c.windowEnd.toISOString() } : null,
    holdoutShare: c.holdoutShare,
    webhookUrl: c.webhookUrl,
    status: c.status,
    deliveries: { total: Object.values(counts).reduce((a, b) => a + b, 0), ...counts },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

function checkContent(content: CampaignContent): void {
  if (!content.text && !content.generatedContentId && !content.itemId) throw errors.invalid('/content', 'needs text, generatedContentId or itemId')
}

/** Creates a campaign and plans every delivery in one transaction: all of it exists, or none. */
export async function createCampaign(deps: CampaignDeps, input: CampaignInput): Promise<CampaignView> {
  const { ctx, settings } = deps
  const now = ctx.clock()
  checkContent(input.content)
  const timing = checkTiming(input.strategy, input, now)
  if (input.strategy === 'fixed' && input.holdoutShare > 0) throw errors.invalid('/holdoutShare', 'needs a window: the holdout is sent at random times in it')
  const webhookUrl = input.webhookUrl ?? settings.webhookUrl
  if (!webhookUrl) throw errors.invalid('/webhookUrl', 'is required: no DELIVERY_WEBHOOK_URL is configured')
  const campaignId = randomUUID()
  const read = input.audience.userIds ?? (input.audience.segmentId ? await segmentMembers(ctx.db, input.audience.segmentId) : [])
  if (read.length === 0) throw unknownField('/audience/segmentId', 'is not a known segment, or has no members')
  const data = await loadRecipientData(ctx.db, read, { channel: input.channel, needModel: timing.window !== null, halfLifeDays: deps.model.halfLifeDays })
  const campaign = await ctx.transaction(async (trx) => {
    // The audience was read before: under the erasure lock, shared (taken first, by
    // audienceStill), an erasure either waits for these deliveries (and deletes them) or has
    // finished, and its users are left out here.
    const { audience, userIds } = await audienceStill(trx, ctx.schema, input.audience, read, now)
    const row: Campaign = {
      campaignId,
      name: input.name,
      channel: input.channel,
      content: input.content,
      audience,
      strategy: input.strategy,
      sendAt: timing.sendAt,
      windowStart: timing.window?.start ?? null,
      windowEnd: timing.window?.end ?? null,
      holdoutShare: input.holdoutShare,
      webhookUrl,
      status: 'scheduled',
      createdAt: now,
      updatedAt: now,
    }
    await insertCampaign(trx, { ...row, content: JSON.stringify(row.content), audience: JSON.stringify(row.audience) })
    await planDeliveries(
      trx,
      ctx.schema,
      { now, model: deps.model, defaultTimeZone: settings.defaultTimeZone, random: deps.random },
      { ...row, window: timing.window, users: userIds.map((userId) => ({ userId })) },
      data,
    )
    return row
  })
  return campaignView(deps, campaign)
}

/**
 * The users of an audience read before the transaction that may still get deliveries, taking the
 * erasure lock, shared, first: a segment's members still in it (an erasure removes its user), and
 * the ids of a list not erased at or after the request was received (`now`; the list is stored
 * without them; `erasedAfterCollection` takes the lock).
 */
async function audienceStill(
  trx: Kysely<SchedulingDb>,
  schema: string,
  audience: CampaignAudience,
  read: string[],
  now: Date,
): Promise<{ audience: CampaignAudience; userIds: string[] }> {
  if (!audience.userIds) {
    await shareErasureLock(trx, schema)
    const members = new Set(audience.segmentId ? await segmentMembers(trx, audience.segmentId) : [])
    return { audience, userIds: read.filter((u) => members.has(u)) }
  }
  const erased = await erasedAfterCollection(
    trx,
    erasureLockKey(schema),
    read.map(() => now.getTime()),
    (i) => [read[i] as string],
  )
  if (erased.size === 0) return { audience, userIds: read }
  const userIds = read.filter((_, i) => !erased.has(i))
  return { audience: { ...audience, userIds }, userIds }
}

async function existing(deps: CampaignDeps, campaignId: string): Promise<Campaign> {
  const c = await getCampaign(deps.ctx.db, campaignId)
  if (!c) throw errors.notFound('Campaign', campaignId)
  return c
}

export async function readCampaign(deps: CampaignDeps, campaignId: string): Promise<CampaignView> {
  return campaignView(deps, await existing(deps, campaignId))
}

/** Cancels every delivery not sent yet; deliveries already sent stay as they are. */
export async function cancelCampaign(deps: CampaignDeps, campaignId: string): Promise<CampaignView> {
  const now = deps.ctx.clock()
  await existing(deps, campaignId)
  await deps.ctx.transaction(async (trx) => {
    await cancelScheduled(trx, campaignId, now)
    await updateCampaign(trx, campaignId, { status: 'cancelled', updatedAt: now })
  })
  return readCampaign(deps, campaignId)
}

/** Moves a campaign: its deliveries not sent yet are planned again for the new time or window, each keeping its group. */
export async function rescheduleCampaign(deps: CampaignDeps, campaignId: string, input: RescheduleInput): Promise<CampaignView> {
  const { ctx, settings } = deps
  const now = ctx.clock()
  const c = await existing(deps, campaignId)
  if (c.status === 'cancelled') throw errors.conflict(`Campaign ${campaignId} is cancelled`)
  const timing = checkTiming(c.strategy, input, now)
  // Read before the transaction; a delivery sent meanwhile is simply not taken below.
  const pending = (await listDeliveries(ctx.db, campaignId, { status: 'scheduled', limit: 1_000_000 })).map((d) => d.userId)
  const data = await loadRecipientData(ctx.db, pending, { channel: c.channel, needModel: timing.window !== null, halfLifeDays: deps.model.halfLifeDays })
  await ctx.transaction(async (trx) => {
    // Before the old deliveries are taken: an erasure either waits for the new ones (and deletes
    // them) or has deleted the user's old ones first, which are then not planned again.
    await shareErasureLock(trx, ctx.schema)
    const locked = await getCampaign(trx, campaignId, { forUpdate: true })
    if (locked?.status !== 'scheduled') throw errors.conflict(`Campaign ${campaignId} is cancelled`)
    const users = (await takeScheduled(trx, campaignId, now)).map((d) => ({ userId: d.userId, group: d.grp }))
    const known = new Set(pending)
    // Only a concurrent change adds scheduled deliveries after the read: roll back rather than drop them.
    if (users.some((u) => !known.has(u.userId))) throw errors.conflict(`Campaign ${campaignId} changed while it was being rescheduled; try again`)
    await planDeliveries(
      trx,
      ctx.schema,
      { now, model: deps.model, defaultTimeZone: settings.defaultTimeZone, random: deps.random },
      { ...c, sendAt: timing.sendAt, window: timing.window, users },
      data,
    )
    await updateCampaign(trx, campaignId, {
      sendAt: timing.sendAt,
      windowStart: timing.window?.start ?? null,
      windowEnd: timing.window?.end ?? null,
      updatedAt: now,
    })
  })
  return readCampaign(deps, campaignId)
}
