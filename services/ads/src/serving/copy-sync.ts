import type { ServiceContext } from '@attune/kit'
import { generationFrom } from '../clients/generation.ts'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { syncCopyReviews } from '../flows/sync-copy-reviews.ts'
import { servingFor } from './serving.ts'

export interface CopySync {
  /**
   * Asks generation about pending reviews (of one ad, or all) and reloads the catalog when any
   * changed. Runs one at a time, after any run in flight, so when it resolves every outcome seen
   * so far is in the catalog (the job and a read may otherwise race).
   */
  run(adId?: string): Promise<number>
}

const syncs = new WeakMap<object, CopySync>()

/** The copy-review sync of a service instance; undefined when GENERATION_URL is unset. */
export function copySyncFor(ctx: ServiceContext<AdsDb, AdsConfig>): CopySync | undefined {
  const generation = generationFrom(ctx.config)
  if (!generation) return undefined
  let s = syncs.get(ctx)
  if (!s) {
    let running: Promise<number> | undefined
    const once = async (adId: string | undefined) => {
      const changed = await syncCopyReviews(ctx.db, generation, ctx.clock, adId)
      if (changed > 0) await servingFor(ctx).changed()
      return changed
    }
    s = {
      async run(adId) {
        while (running) await running.catch(() => 0)
        running = once(adId).finally(() => {
          running = undefined
        })
        return running
      },
    }
    syncs.set(ctx, s)
  }
  return s
}
