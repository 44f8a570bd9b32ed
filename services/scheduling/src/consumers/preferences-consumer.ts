import { EventTypes, PreferencesUpdated, type PreferencesUpdatedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SchedulingDb } from '../db.ts'
import { shiftBins } from '../domain/activity-increments.ts'
import { offsetMinutes } from '../domain/time-zones.ts'
import { replaceUserBins } from '../store/activity-store.ts'
import { savePreferences } from '../store/preferences-store.ts'

/**
 * Mirrors time zone, quiet hours, caps, opt-ins and the non-personalized switch from
 * `attune.profiles`. When a user's time zone changes, their bins move by the offset difference so
 * the history stays in their local time.
 */
export function preferencesConsumer(o: { defaultTimeZone: string; clock: () => Date }): ConsumerDefinition<SchedulingDb> {
  return {
    name: 'preferences',
    topic: Topics.profiles,
    types: [EventTypes.preferencesUpdated.type],
    schema: PreferencesUpdated,
    async handle(trx, events) {
      const changed = await savePreferences(
        trx,
        events.map((e) => ({ data: e.data as PreferencesUpdatedData, at: new Date(e.time) })),
      )
      const now = o.clock()
      for (const c of changed) {
        const delta = offsetMinutes(now, c.to ?? o.defaultTimeZone) - offsetMinutes(now, c.from ?? o.defaultTimeZone)
        if (delta !== 0) await replaceUserBins(trx, c.userId, (bins) => shiftBins(Array.from(bins), delta))
      }
    },
  }
}
