import type { ReviewStatus } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { GenerationDb, ReviewAuditTable, ReviewsTable } from '../db.ts'

export function reviewById(db: Kysely<GenerationDb>, reviewId: string, lock = false): Promise<ReviewsTable | undefined> {
  const q = db.selectFrom('reviews').selectAll().where('reviewId', '=', reviewId)
  return (lock ? q.forUpdate() : q).executeTakeFirst()
}

export function reviewOfGeneration(db: Kysely<GenerationDb>, generationId: string): Promise<ReviewsTable | undefined> {
  return db.selectFrom('reviews').selectAll().where('generationId', '=', generationId).executeTakeFirst()
}

export function auditOf(db: Kysely<GenerationDb>, reviewId: string): Promise<Omit<ReviewAuditTable, 'id' | 'reviewId'>[]> {
  return db.selectFrom('reviewAudit').select(['action', 'actor', 'note', 'text', 'at']).where('reviewId', '=', reviewId).orderBy('id').execute()
}

/** Reviews by status, oldest first (a queue), after `after` (a review id) when paging. */
export async function listReviews(db: Kysely<GenerationDb>, status: ReviewStatus, limit: number, after?: { createdAt: Date; reviewId: string }) {
  let q = db.selectFrom('reviews').selectAll().where('status', '=', status)
  if (after)
    q = q.where((eb) => eb.or([eb('createdAt', '>', after.createdAt), eb.and([eb('createdAt', '=', after.createdAt), eb('reviewId', '>', after.reviewId)])]))
  return q.orderBy('createdAt').orderBy('reviewId').limit(limit).execute()
}

/** Records a reviewer's decision and its audit entry (in the caller's transaction). */
export async function decideReview(
  trx: Kysely<GenerationDb>,
  reviewId: string,
  d: { status: Exclude<ReviewStatus, 'pending'>; variantIndex: number | null; finalText: string | null; reviewer: string; note: string | null; at: Date },
): Promise<void> {
  await trx
    .updateTable('reviews')
    .set({ status: d.status, variantIndex: d.variantIndex, finalText: d.finalText, reviewer: d.reviewer, decidedAt: d.at })
    .where('reviewId', '=', reviewId)
    .execute()
  const action = d.status === 'approved' ? 'approved' : d.status === 'edited' ? 'edited' : 'rejected'
  await trx.insertInto('reviewAudit').values({ reviewId, action, actor: d.reviewer, note: d.note, text: d.finalText, at: d.at }).execute()
}
