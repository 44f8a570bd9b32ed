import type { Selectable } from 'kysely'
import type { GenerationsTable, ReviewsTable, StoredVariant } from '../db.ts'
import type { Generation } from '../schemas/generate.ts'

/** A stored variant as the API shows it. */
export function variantView(v: StoredVariant): Generation['variants'][number] {
  return {
    index: v.index,
    text: v.text,
    moderation: { score: v.moderationScore, flagged: v.flagged, categories: v.categories },
    bannedRedacted: v.bannedRedacted,
    regenerated: v.regenerated,
  }
}

/** A stored generation (and its review, if any) as the API shows it. */
export function generationView(g: Selectable<GenerationsTable>, review: ReviewsTable | undefined): Generation {
  return {
    generationId: g.generationId,
    use: g.use,
    userId: g.userId,
    provider: g.provider as Generation['provider'],
    model: g.model,
    cached: g.cached,
    variants: g.variants.map(variantView),
    review: review ? { reviewId: review.reviewId, status: review.status, reasons: review.reasons as ('publish' | 'flagged')[] } : null,
    why: g.why as unknown as Generation['why'],
    usage: { promptTokens: g.promptTokens, completionTokens: g.completionTokens },
    createdAt: g.createdAt.toISOString(),
  }
}
