import { EventTypes, InteractionRecorded, type InteractionRecordedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SchedulingDb } from '../db.ts'
import { activityIncrements } from '../domain/activity-increments.ts'
import { engagementsOf } from '../domain/engagement.ts'
import { applyActivityIncrements } from '../store/activity-store.ts'
import { attributeEngagements } from '../store/engagement-store.ts'
import { loadPreferences } from '../store/preferences-store.ts'
import { segmentsOfUsers } from '../store/segments-store.ts'

export interface InteractionsConsumerOptions {
  schema: string
  halfLifeDays: number
  defaultTimeZone: string
  clock: () => Date
}

/**
 * Learns the activity model from `attune.interactions`: each engagement goes into its user's
 * hour-of-week bins in the user's time zone (for the `all` row and its channel's), and into the
 * population and segment rows; and marks the deliveries it follows as engaged.
 */
export function interactionsConsumer(o: InteractionsConsumerOptions): ConsumerDefinition<SchedulingDb> {
  return {
    name: 'activity',
    topic: Topics.interactions,
    types: [EventTypes.interactionRecorded.type],
    schema: InteractionRecorded,
    async handle(trx, events) {
      const engagements = engagementsOf(events.map((e) => e.data as InteractionRecordedData))
      if (engagements.length === 0) return
      const users = [...new Set(engagements.map((e) => e.userId))]
      const [prefs, segments] = await Promise.all([loadPreferences(trx, users), segmentsOfUsers(trx, users)])
      const inc = activityIncrements(engagements, {
        halfLifeDays: o.halfLifeDays,
        timeZoneOf: (u) => prefs.get(u)?.timeZone ?? o.defaultTimeZone,
        segmentsOf: (u) => segments.get(u) ?? [],
      })
      await applyActivityIncrements(trx, inc.users, inc.audiences, o.clock(), o.halfLifeDays)
      await attributeEngagements(trx, o.schema, engagements)
    },
  }
}
