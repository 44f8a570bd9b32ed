import type { InteractionRecordedData } from '@attune/contracts'

/** An anonymous visitor now known as a user: their history moves to the user. */
export interface IdentityMerge {
  anonymousId: string
  userId: string
}

/** The `identify` events of a batch (both ids set and different), each pair once, in batch order. */
export function identityMerges(batch: InteractionRecordedData[]): IdentityMerge[] {
  const seen = new Set<string>()
  const out: IdentityMerge[] = []
  for (const { interaction: i } of batch) {
    if (i.type !== 'identify' || !i.userId || !i.anonymousId || i.userId === i.anonymousId) continue
    const key = `${i.anonymousId}\u0000${i.userId}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ anonymousId: i.anonymousId, userId: i.userId })
  }
  return out
}
