import { AppError } from '@attune/kit'
import { flaggedCategories, type ModerationVerdict } from '../domain/moderation.ts'
import { mergeCounts, type PiiKind, redactPii } from '../domain/pii.ts'
import type { Moderate } from '../gateway/moderator.ts'

export interface GuardedInput {
  /** The texts with personal data replaced, in the order given. */
  texts: string[]
  redactions: Partial<Record<PiiKind, number>>
  verdicts: ModerationVerdict[]
}

/**
 * Redacts personal data from user-supplied texts, then moderates them; a text at or over the block
 * threshold is refused with a 422 naming its field. Runs before anything reaches a provider.
 */
export async function guardInput(moderate: Moderate, fields: { field: string; text: string }[], blockThreshold: number): Promise<GuardedInput> {
  const redacted = fields.map((f) => redactPii(f.text))
  const verdicts = await moderate(redacted.map((r) => r.text))
  const blocked = fields
    .map((f, i) => ({ field: f.field, categories: flaggedCategories(verdicts[i] as ModerationVerdict, blockThreshold) }))
    .filter((b) => b.categories.length > 0)
  if (blocked.length > 0) {
    throw new AppError('unprocessable', `Input refused by moderation (${[...new Set(blocked.flatMap((b) => b.categories))].join(', ')})`, {
      errors: blocked.map((b) => ({ field: b.field, in: 'body' as const, message: `was flagged by moderation: ${b.categories.join(', ')}` })),
    })
  }
  return { texts: redacted.map((r) => r.text), redactions: mergeCounts(redacted.map((r) => r.counts)), verdicts }
}
