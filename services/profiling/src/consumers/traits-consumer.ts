import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { Logger } from 'pino'
import type { ProfilingDb } from '../db.ts'
import { foldTraitIncrements } from '../domain/trait-increments.ts'
import { linkedUsers, mergeIdentity } from '../store/identity-store.ts'
import { addAffinities, addDailyCounts, addHours, addLanguages, touchProfiles } from '../store/trait-aggregates-store.ts'

/**
 * Keeps computed traits current from `attune.interactions`: merges identities (identify events,
 * or any event carrying both ids), attributes anonymous events to the user they were merged into,
 * and adds the batch's increments.
 */
export function traitsConsumer(deps: { clock: () => Date; log: Logger }): ConsumerDefinition<ProfilingDb> {
  return {
    name: 'traits',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      const now = deps.clock()
      const batch = events.map((e) => e.data as InteractionRecordedData)
      for (const { interaction: i } of batch) {
        if (i.userId && i.anonymousId) {
          const outcome = await mergeIdentity(trx, i.anonymousId, i.userId, 'identify', now)
          if (outcome.status === 'conflict') deps.log.info({ eventId: i.id }, 'anonymous id already merged into another user; not re-merged')
        }
      }
      const anonymousOnly = batch.flatMap((b) => (!b.interaction.userId && b.interaction.anonymousId ? [b.interaction.anonymousId] : []))
      const links = await linkedUsers(trx, anonymousOnly)
      // Events kept only in aggregate carry no id and belong to no profile.
      const attributed = batch.flatMap(({ interaction, receivedAt }) => {
        const profileId = interaction.userId ?? links.get(interaction.anonymousId ?? '') ?? interaction.anonymousId
        return profileId ? [{ profileId, interaction, time: new Date(interaction.time ?? receivedAt) }] : []
      })
      const inc = foldTraitIncrements(attributed)
      await touchProfiles(
        trx,
        [...inc.seen].map(([userId, s]) => ({ userId, ...s })),
        now,
      )
      await addDailyCounts(trx, [...inc.daily.values()])
      await addAffinities(trx, [...inc.affinities.values()])
      await addHours(trx, [...inc.hours.values()])
      await addLanguages(trx, [...inc.languages.values()])
    },
  }
}
