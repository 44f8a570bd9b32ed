import type { Interaction } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { ProfilingDb } from '../db.ts'
import type { IdentityMerge } from '../domain/identity-merged.ts'
import type { MembershipChange } from '../domain/segment-rules.ts'
import { foldTraitIncrements } from '../domain/trait-increments.ts'
import { linkedUsers, mergeIdentity } from './identity-store.ts'
import { addTraitIncrements } from './trait-aggregates-store.ts'

/** The profile an interaction belongs to: its user, the user its anonymous id was merged into, or the anonymous id. */
export function profileIdOf(i: Pick<Interaction, 'userId' | 'anonymousId'>, links: Map<string, string>): string | undefined {
  return i.userId ?? links.get(i.anonymousId ?? '') ?? i.anonymousId
}

/**
 * Applies newly stored interactions to computed traits, in the caller's transaction (the
 * collector's, so each event counts exactly once: only ids the insert reported as new come here).
 * Merges identities first (identify events, or any event carrying both ids), then attributes
 * anonymous events to the user they were merged into and adds the batch's increments.
 * Returns the profiles touched, the merges made (each to be announced) and the memberships the
 * merged anonymous ids left (each to be published).
 */
export async function applyInteractionTraits(
  trx: Kysely<ProfilingDb>,
  schema: string,
  batch: { interaction: Interaction; receivedAt: Date }[],
  now: Date,
  log: Pick<Logger, 'info'>,
): Promise<{ profiles: string[]; merges: IdentityMerge[]; membershipsEnded: MembershipChange[] }> {
  const merges: IdentityMerge[] = []
  const membershipsEnded: MembershipChange[] = []
  for (const { interaction: i } of batch) {
    if (i.userId && i.anonymousId) {
      const outcome = await mergeIdentity(trx, schema, i.anonymousId, i.userId, 'identify', now)
      if (outcome.status === 'merged') {
        merges.push({ anonymousId: i.anonymousId, userId: i.userId })
        membershipsEnded.push(...outcome.membershipsEnded)
      }
      if (outcome.status === 'conflict') log.info({ eventId: i.id }, 'anonymous id already merged into another user; not re-merged')
    }
  }
  const anonymousOnly = batch.flatMap((b) => (!b.interaction.userId && b.interaction.anonymousId ? [b.interaction.anonymousId] : []))
  const links = await linkedUsers(trx, anonymousOnly)
  // Events kept only in aggregate carry no id and belong to no profile.
  const attributed = batch.flatMap(({ interaction, receivedAt }) => {
    const profileId = profileIdOf(interaction, links)
    return profileId ? [{ profileId, interaction, time: new Date(interaction.time ?? receivedAt) }] : []
  })
  const inc = foldTraitIncrements(attributed)
  await addTraitIncrements(trx, schema, inc, now)
  return { profiles: [...inc.seen.keys()], merges, membershipsEnded }
}
