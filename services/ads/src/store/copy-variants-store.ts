import type { Insertable, Kysely, Selectable } from 'kysely'
import type { AdsDb, CopyStatus, CopyVariantsTable } from '../db.ts'
import type { CopyVariant } from '../schemas/copy-variants.ts'

export type CopyVariantRow = Selectable<CopyVariantsTable>

export function toCopyVariant(r: CopyVariantRow): CopyVariant {
  return {
    variantId: r.variantId,
    adId: r.adId,
    segmentId: r.segmentId,
    audience: r.audience,
    generationId: r.generationId,
    reviewId: r.reviewId,
    index: r.variantIndex,
    text: r.text,
    status: r.status,
    note: r.note,
    moderation: { score: r.moderationScore, flagged: r.flagged },
    provider: r.provider,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }
}

export function insertCopyVariants(db: Kysely<AdsDb>, rows: Insertable<CopyVariantsTable>[]) {
  return db.insertInto('copyVariants').values(rows).returningAll().execute()
}

export function listCopyVariants(db: Kysely<AdsDb>, adId: string, filter: { segmentId?: string | undefined; status?: CopyStatus | undefined } = {}) {
  let q = db.selectFrom('copyVariants').selectAll().where('adId', '=', adId)
  if (filter.segmentId) q = q.where('segmentId', '=', filter.segmentId)
  if (filter.status) q = q.where('status', '=', filter.status)
  return q.orderBy('createdAt', 'desc').orderBy('variantIndex').limit(500).execute()
}

/** Review items that still have pending variants (of one ad, or of all), oldest first. */
export async function pendingReviewIds(db: Kysely<AdsDb>, limit: number, adId?: string): Promise<string[]> {
  let q = db
    .selectFrom('copyVariants')
    .select('reviewId')
    .where('status', '=', 'pending')
    .where('reviewId', 'is not', null)
    .groupBy('reviewId')
    .orderBy((eb) => eb.fn.min('createdAt'))
    .limit(limit)
  if (adId) q = q.where('adId', '=', adId)
  return (await q.execute()).flatMap((r) => (r.reviewId ? [r.reviewId] : []))
}

/**
 * A decided review: the chosen variant is approved (with the reviewer's text when edited), the
 * others of the same item rejected. Only pending rows change, so applying it twice is harmless.
 * Returns how many rows changed.
 */
export async function applyReview(
  db: Kysely<AdsDb>,
  reviewId: string,
  outcome: { approvedIndex: number | null; text: string | null; edited: boolean; at: Date },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let changed = 0
    if (outcome.approvedIndex !== null && outcome.text !== null) {
      const r = await trx
        .updateTable('copyVariants')
        .set({
          status: 'approved',
          text: outcome.text,
          note: outcome.edited ? 'edited by the reviewer' : null,
          decidedAt: outcome.at,
          updatedAt: outcome.at,
        })
        .where('reviewId', '=', reviewId)
        .where('variantIndex', '=', outcome.approvedIndex)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      changed += Number(r.numUpdatedRows)
    }
    const rest = await trx
      .updateTable('copyVariants')
      .set({
        status: 'rejected',
        note: outcome.approvedIndex === null ? 'rejected by the reviewer' : 'another variant was approved',
        decidedAt: outcome.at,
        updatedAt: outcome.at,
      })
      .where('reviewId', '=', reviewId)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return changed + Number(rest.numUpdatedRows)
  })
}

/** The approved copy each ad has per segment (the latest approved one), for the live catalog. */
export function loadApprovedCopy(db: Kysely<AdsDb>) {
  return db
    .selectFrom('copyVariants')
    .select(['adId', 'segmentId', 'variantId', 'text', 'audience'])
    .distinctOn(['adId', 'segmentId'])
    .where('status', '=', 'approved')
    .orderBy('adId')
    .orderBy('segmentId')
    .orderBy('decidedAt', 'desc')
    .orderBy('variantId', 'desc')
    .execute()
}

export async function copyAudience(db: Kysely<AdsDb>, variantId: string): Promise<string | null> {
  return (await db.selectFrom('copyVariants').select('audience').where('variantId', '=', variantId).executeTakeFirst())?.audience ?? null
}

/**
 * The ad's text changed: variants written from the old text (pending or approved) are rejected,
 * since what they say may no longer be true of the ad. Returns how many were retired.
 */
export async function retireCopyVariants(db: Kysely<AdsDb>, adId: string, at: Date): Promise<number> {
  const r = await db
    .updateTable('copyVariants')
    .set({ status: 'rejected', note: 'the ad’s text changed after this variant was written', decidedAt: at })
    .where('adId', '=', adId)
    .where('status', 'in', ['pending', 'approved'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
