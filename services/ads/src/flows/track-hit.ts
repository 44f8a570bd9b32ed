import { asError, createBatcher, type ServiceContext } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { clickCost, impressionCost } from '../domain/value.ts'
import type { Serving } from '../serving/serving.ts'
import type { HitKind } from '../store/tracking-store.ts'
import type { TrackingClaims } from '../tracking/token.ts'
import { type Counted, type Hit, recordHits } from './record-hits.ts'

export interface HitTracker {
  /**
   * Counts an impression or a click of a verified link once (`recordHits`); this replica's memory
   * follows at once. Returns whether it counted (false for a repeat).
   */
  trackHit(kind: HitKind, claims: TrackingClaims): Promise<boolean>
}

export interface HitTrackerOptions {
  /** Transactions of hits running at once; hits arriving meanwhile wait and go in the next. */
  maxInFlight: number
  /** Most hits in one transaction. */
  maxBatch: number
}

/**
 * Group commit of tracking hits: the hits that arrive while earlier ones are being written share
 * one transaction (`recordHits`), so its round trips, statements and commit are paid once for
 * many; idle, a hit is written at once. When a shared transaction fails, each of its hits is
 * written alone, so that a hit that cannot be written fails by itself and the others still count.
 */
export function hitTracker(ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving, opts: HitTrackerOptions = { maxInFlight: 2, maxBatch: 200 }): HitTracker {
  const batcher = createBatcher<Hit, Counted | undefined>({
    ...opts,
    async run(hits) {
      try {
        return await recordHits(ctx, hits)
      } catch (err) {
        if (hits.length === 1) throw err
        ctx.log.warn({ err, hits: hits.length }, 'tracking batch failed, its hits written one by one')
        return Promise.all(hits.map((h) => recordHits(ctx, [h]).then((r) => r[0], asError)))
      }
    },
  })
  return {
    async trackHit(kind, claims) {
      const at = ctx.clock()
      const catalog = await serving.live()
      const price =
        catalog.campaigns.get(claims.c) ??
        (await ctx.db.selectFrom('campaigns').select(['priceModel', 'price']).where('campaignId', '=', claims.c).executeTakeFirst())
      const cost = price ? (kind === 'impression' ? impressionCost(price) : clickCost(price)) : 0
      const counted = await batcher.submit({ kind, claims, cost, at })
      if (!counted) return false
      serving.catalog?.applyHit(claims.a, claims.c, claims.f, kind, counted.charged)
      if (counted.keptFor && kind === 'impression') serving.addImpression(counted.keptFor, claims.c, at.getTime())
      return true
    },
  }
}
