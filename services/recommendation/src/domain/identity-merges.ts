import type { InteractionRecordedData } from '@attune/contracts'

/** An anonymous visitor now known as a user: their history moves to the user. */
export interface IdentityMerge {
  anonymousId: string
  userId: string
}

/** The anonymous ids a batch's events carry, each once. */
export function anonymousIds(batch: InteractionRecordedData[]): string[] {
  return [...new Set(batch.flatMap(({ interaction: i }) => (i.anonymousId ? [i.anonymousId] : [])))]
}

/** The batch with each anonymous-only event of an already merged visitor counted for its user. */
export function attributedToUsers(batch: InteractionRecordedData[], links: ReadonlyMap<string, string>): InteractionRecordedData[] {
  if (links.size === 0) return batch
  return batch.map((d) => {
    const userId = !d.interaction.userId && d.interaction.anonymousId ? links.get(d.interaction.anonymousId) : undefined
    return userId ? { ...d, interaction: { ...d.interaction, userId } } : d
  })
}

/** The merges announced on `attune.profiles` (`profile.updated` with `mergedAnonymousId`), each once. */
export function announcedMerges(data: unknown[]): IdentityMerge[] {
  const out = new Map<string, IdentityMerge>()
  for (const d of data) {
    const { userId, mergedAnonymousId } = (d ?? {}) as { userId?: unknown; mergedAnonymousId?: unknown }
    if (typeof userId === 'string' && typeof mergedAnonymousId === 'string' && userId !== mergedAnonymousId && !out.has(mergedAnonymousId))
      out.set(mergedAnonymousId, { anonymousId: mergedAnonymousId, userId })
  }
  return [...out.values()]
}
