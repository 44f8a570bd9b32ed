import { EventTypes, PreferencesUpdated, type PreferencesUpdatedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { savePreferences } from '../store/preferences-store.ts'

/** Mirrors each user's content preferences (mutes, followed topics, languages, non-personalized) from `attune.profiles`. */
export const preferencesConsumer: ConsumerDefinition<RecommendationDb> = {
  name: 'preferences',
  topic: Topics.profiles,
  types: [EventTypes.preferencesUpdated.type],
  schema: PreferencesUpdated,
  async handle(trx, events) {
    await savePreferences(
      trx,
      events.map((e) => ({ data: e.data as PreferencesUpdatedData, at: new Date(e.time) })),
    )
  },
}
