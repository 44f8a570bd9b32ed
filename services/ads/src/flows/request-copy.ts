import { AppError, errors } from '@attune/kit'
import type { Kysely } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import type { GenerationClient } from '../clients/generation-client.ts'
import type { AdsDb } from '../db.ts'
import type { CopyVariant, CopyVariantRequest } from '../schemas/copy-variants.ts'
import { getAd } from '../store/ads-store.ts'
import { insertCopyVariants, toCopyVariant } from '../store/copy-variants-store.ts'

const UNREVIEWED = 'generation queued nothing for review (its ad_copy policy does not review published content); unreviewed copy is never used'

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

/**
 * Asks the generation service for `n` variants of an ad's body written for one segment, as ad copy
 * meant for publishing (so generation moderates them and queues them for its reviewers), and keeps
 * them as pending until that review is decided.
 */
export async function requestCopyVariants(
  db: Kysely<AdsDb>,
  generation: GenerationClient | undefined,
  adId: string,
  req: CopyVariantRequest,
  now: Date,
): Promise<CopyVariant[]> {
  if (!generation) throw new AppError('unavailable', 'Personalized ad copy needs the generation service, which is not configured here (set GENERATION_URL)')
  const ad = await getAd(db, adId)
  if (!ad) throw errors.notFound('Ad', adId)
  const keyPoints = [...(ad.body.trim() ? [clip(ad.body.trim(), 300)] : []), ...(req.audience ? [clip(`Written for this audience: ${req.audience}`, 300)] : [])]
  const g = await generation.generateAdCopy({ topic: clip(ad.title, 500), keyPoints, n: req.n, ...(req.voiceId ? { voiceId: req.voiceId } : {}) })
  const rows = await insertCopyVariants(
    db,
    g.variants.map((v) => ({
      variantId: uuidv7(),
      adId,
      segmentId: req.segmentId,
      audience: req.audience ?? null,
      generationId: g.generationId,
      reviewId: g.reviewId,
      variantIndex: v.index,
      text: v.text,
      status: g.reviewId ? 'pending' : 'rejected',
      note: g.reviewId ? null : UNREVIEWED,
      moderationScore: v.score,
      flagged: v.flagged,
      provider: g.provider,
      decidedAt: g.reviewId ? null : now,
      createdAt: now,
      updatedAt: now,
    })),
  )
  return rows.sort((a, b) => a.variantIndex - b.variantIndex).map(toCopyVariant)
}
