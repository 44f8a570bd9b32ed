import type { Kysely } from 'kysely'
import type { GenerationClient } from '../clients/generation-client.ts'
import type { AdsDb } from '../db.ts'
import { applyReview, pendingReviewIds } from '../store/copy-variants-store.ts'

/** Review items asked about per run (the oldest first); the rest wait for the next run. */
const BATCH = 50

/**
 * Generation publishes no event when a review is decided, so ads asks its review queue
 * (`GET /v1/reviews/{id}`) about the items that still have pending variants and records the
 * outcome: the approved or edited variant is approved (with the reviewer's text), the others
 * rejected. Returns how many variants changed (the caller reloads the catalog when any did).
 */
export async function syncCopyReviews(db: Kysely<AdsDb>, generation: GenerationClient, now: () => Date, adId?: string): Promise<number> {
  let changed = 0
  for (const reviewId of await pendingReviewIds(db, BATCH, adId)) {
    const r = await generation.review(reviewId)
    if (r.status === 'pending') continue
    const approved = r.status === 'approved' || r.status === 'edited'
    changed += await applyReview(db, reviewId, {
      approvedIndex: approved ? (r.variantIndex ?? 0) : null,
      text: approved ? r.finalText : null,
      edited: r.status === 'edited',
      at: r.decidedAt ? new Date(r.decidedAt) : now(),
    })
  }
  return changed
}
