/** What `POST /v1/generate` writes (generation service). */
export const GenerationUses = ['post', 'caption', 'reply', 'notification', 'ad_copy'] as const
export type GenerationUse = (typeof GenerationUses)[number]

/** Where a piece of generated content stands in the human review queue. */
export const ReviewStatuses = ['pending', 'approved', 'edited', 'rejected'] as const
export type ReviewStatus = (typeof ReviewStatuses)[number]
