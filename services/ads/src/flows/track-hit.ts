import { EventTypes, type InteractionRecordedData } from '@attune/contracts'
import { erasedAfterCollection, erasureLockKey, makeEvent, type ServiceContext, timeOrderedId } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { utcDay } from '../domain/pacing.ts'
import { clickCost, impressionCost } from '../domain/value.ts'
import type { Serving } from '../serving/serving.ts'
import { recordHit } from '../store/tracking-store.ts'
import type { TrackingClaims } from '../tracking/token.ts'

/**
 * Counts an impression or a click of a verified link once: spend, counts, caps and the
 * `interaction.recorded` event on `attune.interactions` commit together; this replica's memory
 * follows at once. Returns whether it counted (false for a repeat).
 *
 * A link outlives its user's erasure (ADS_TRACKING_TTL_SECONDS): when the user was erased at or
 * after the decision, the hit still counts for the campaign, as a non-personalized one about no
 * one (no per-user impression, no user id in the event), so the erasure is not undone.
 */
export async function trackHit(
  ctx: ServiceContext<AdsDb, AdsConfig>,
  serving: Serving,
  kind: 'impression' | 'click',
  claims: TrackingClaims,
): Promise<boolean> {
  const now = ctx.clock()
  const catalog = await serving.live()
  const live = catalog.campaigns.get(claims.c)
  const price = live ?? (await ctx.db.selectFrom('campaigns').select(['priceModel', 'price']).where('campaignId', '=', claims.c).executeTakeFirst())
  const cost = price ? (kind === 'impression' ? impressionCost(price) : clickCost(price)) : 0
  const result = await ctx.transaction(async (trx, emit) => {
    // Under the erasure lock, shared, first: an erasure either waits for this hit (and deletes
    // what it writes) or has committed its tombstones, read here. Without a user key, no check.
    const user = claims.u
    const erased = user !== undefined && (await erasedAfterCollection(trx, erasureLockKey(ctx.schema), [claims.t], () => [user])).size > 0
    const userId = erased ? undefined : user
    const keepUser = claims.z === 1 ? userId : undefined
    const r = await recordHit(trx, {
      kind,
      decisionId: claims.d,
      adId: claims.a,
      campaignId: claims.c,
      placementId: claims.p,
      feature: claims.f,
      userId: keepUser,
      cost,
      day: utcDay(now.getTime()),
      at: now,
    })
    if (!r) return undefined
    const time = now.toISOString()
    const data: InteractionRecordedData = {
      interaction: {
        id: timeOrderedId(now.getTime()),
        type: kind === 'impression' ? 'ad_impression' : 'ad_click',
        ...(userId ? { userId } : {}),
        adId: claims.a,
        decisionId: claims.d,
        placementId: claims.p,
        time,
      },
      receivedAt: time,
    }
    const event = makeEvent({ type: EventTypes.interactionRecorded.type, source: ctx.name, subject: userId ?? claims.d, data }, now)
    await emit([{ topic: ctx.topic('interactions'), key: event.subject, event }])
    return { ...r, keepUser }
  })
  if (!result) return false
  serving.catalog?.applyHit(claims.a, claims.c, claims.f, kind, result.charged)
  if (result.keepUser && kind === 'impression') serving.addImpression(result.keepUser, claims.c, now.getTime())
  return true
}
