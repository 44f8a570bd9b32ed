import { EventTypes, type InteractionRecordedData } from '@attune/contracts'
import { erasedAfterCollection, erasureLockKey, makeEvent, type OutboxMessage, type ServiceContext, timeOrderedId } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { utcDay } from '../domain/pacing.ts'
import { type CountedHit, type HitKind, insertFirstHits, lockCampaignBudgets, recordCharges, recordCounts } from '../store/tracking-store.ts'
import type { TrackingClaims } from '../tracking/token.ts'
import { chargeHits } from './charge-hits.ts'

/** A verified hit of a link, priced when it arrived. */
export interface Hit {
  kind: HitKind
  claims: TrackingClaims
  cost: number
  at: Date
}

/** What a counted hit did: its charge, and the user its impression is kept for (frequency caps). */
export interface Counted {
  charged: number
  keptFor: string | undefined
}

type TrackingContext = Pick<ServiceContext<AdsDb, AdsConfig>, 'schema' | 'name' | 'topic' | 'transaction'>

/**
 * Counts a batch of hits in one transaction, each once per decision and kind (a repeat, stored or
 * earlier in the batch, is undefined and changes nothing): spend, counts, per-user impressions and
 * the `interaction.recorded` events commit together, with a fixed number of statements whatever
 * the batch's size. Charges follow the budgets under the campaigns' row locks (`chargeHits`).
 *
 * A link outlives its user's erasure (ADS_TRACKING_TTL_SECONDS): when the user was erased at or
 * after the decision, the hit still counts for the campaign, as a non-personalized one about no
 * one (no per-user impression, no user id in the event), so the erasure is not undone.
 */
export function recordHits(ctx: TrackingContext, hits: readonly Hit[]): Promise<(Counted | undefined)[]> {
  return ctx.transaction(async (trx, emit) => {
    // Under the erasure lock, shared, first: an erasure either waits for these hits (and deletes
    // what they write) or has committed its tombstones, read here once for all. Hits without a
    // user key need no check, and a batch of only those takes no lock.
    const named = hits.flatMap((h) => (h.claims.u === undefined ? [] : [h]))
    const erased = await erasedAfterCollection(
      trx,
      erasureLockKey(ctx.schema),
      named.map((h) => h.claims.t),
      (j) => [named[j]?.claims.u as string],
    )
    const gone = new Set([...erased].map((j) => named[j]))

    const first = await insertFirstHits(
      trx,
      hits.map((h) => ({ decisionId: h.claims.d, kind: h.kind, at: h.at })),
    )
    const fresh = hits.flatMap((h, i) => (first[i] ? [{ h, i, day: utcDay(h.at.getTime()), userId: gone.has(h) ? undefined : h.claims.u }] : []))
    const paying = fresh.filter((f) => f.h.cost > 0)
    const budgets = await lockCampaignBudgets(trx, [...new Set(paying.map((f) => f.h.claims.c))], [...new Set(paying.map((f) => f.day))])
    const charged = chargeHits(
      fresh.map((f) => ({ campaignId: f.h.claims.c, day: f.day, cost: f.h.cost })),
      budgets,
    )
    const counted = fresh.map(
      ({ h, day, userId }, n): CountedHit => ({
        kind: h.kind,
        decisionId: h.claims.d,
        adId: h.claims.a,
        campaignId: h.claims.c,
        placementId: h.claims.p,
        feature: h.claims.f,
        userId: h.claims.z === 1 ? userId : undefined,
        charged: charged[n] as number,
        day,
        at: h.at,
      }),
    )
    await recordCharges(trx, counted)
    await recordCounts(trx, counted)
    await emit(fresh.map((f) => interactionMessage(ctx, f.h, f.userId)))
    const out: (Counted | undefined)[] = hits.map(() => undefined)
    counted.forEach((c, n) => {
      out[fresh[n]?.i as number] = { charged: c.charged, keptFor: c.userId }
    })
    return out
  })
}

/** `ad_impression` or `ad_click` on `attune.interactions`, about the user when there is one (not erased), else the decision. */
function interactionMessage(ctx: TrackingContext, h: Hit, userId: string | undefined): OutboxMessage {
  const time = h.at.toISOString()
  const data: InteractionRecordedData = {
    interaction: {
      id: timeOrderedId(h.at.getTime()),
      type: h.kind === 'impression' ? 'ad_impression' : 'ad_click',
      ...(userId ? { userId } : {}),
      adId: h.claims.a,
      decisionId: h.claims.d,
      placementId: h.claims.p,
      time,
    },
    receivedAt: time,
  }
  const event = makeEvent({ type: EventTypes.interactionRecorded.type, source: ctx.name, subject: userId ?? h.claims.d, data }, h.at)
  return { topic: ctx.topic('interactions'), key: event.subject, event }
}
