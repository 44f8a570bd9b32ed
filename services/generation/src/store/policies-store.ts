import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'

export interface ReviewPolicy {
  use: string
  /** Outputs scoring at or above this wait in the review queue. */
  flagThreshold: number
  /** Inputs scoring at or above this are refused (422). */
  blockThreshold: number
  /** Content meant for publishing always waits for a reviewer. */
  reviewPublished: boolean
}

export const defaultPolicy = (use: string): ReviewPolicy => ({ use, flagThreshold: 0.5, blockThreshold: 0.8, reviewPublished: true })

export async function policyFor(db: Kysely<GenerationDb>, use: string): Promise<ReviewPolicy> {
  const row = await db
    .selectFrom('reviewPolicies')
    .select(['use', 'flagThreshold', 'blockThreshold', 'reviewPublished'])
    .where('use', '=', use)
    .executeTakeFirst()
  return row ?? defaultPolicy(use)
}

export async function savePolicy(db: Kysely<GenerationDb>, p: ReviewPolicy, now: Date): Promise<void> {
  await db
    .insertInto('reviewPolicies')
    .values({ ...p, updatedAt: now })
    .onConflict((oc) =>
      oc.column('use').doUpdateSet({ flagThreshold: p.flagThreshold, blockThreshold: p.blockThreshold, reviewPublished: p.reviewPublished, updatedAt: now }),
    )
    .execute()
}
