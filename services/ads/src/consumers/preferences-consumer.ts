import { EventTypes, PreferencesUpdated, type PreferencesUpdatedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { AdsDb } from '../db.ts'
import { savePreferences } from '../store/users-store.ts'

/** Mirrors the non-personalized switch and followed topics (audience interests) from `attune.profiles`. */
export const preferencesConsumer: ConsumerDefinition<AdsDb> = {
  name: 'preferences',
  topic: Topics.profiles,
  types: [EventTypes.preferencesUpdated.type],
  schema: PreferencesUpdated,
  async handle(trx, events) {
    await savePreferences(
      trx,
      events.map((e) => {
        const d = e.data as PreferencesUpdatedData
        return { userId: d.userId, nonPersonalized: d.nonPersonalized, interests: d.followedTopics, at: new Date(d.updatedAt ?? e.time) }
      }),
    )
  },
}
