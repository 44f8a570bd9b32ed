import { EventTypes, PreferencesUpdated, type PreferencesUpdatedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { GenerationDb } from '../db.ts'
import { savePreferences } from '../store/signals-store.ts'

/** Mirrors each user's language style, languages and muted topics from `attune.profiles`. */
export const preferencesConsumer: ConsumerDefinition<GenerationDb> = {
  name: 'preferences',
  topic: Topics.profiles,
  types: [EventTypes.preferencesUpdated.type],
  schema: PreferencesUpdated,
  async handle(trx, events) {
    await savePreferences(
      trx,
      events.map((e) => {
        const d = e.data as PreferencesUpdatedData
        return { userId: d.userId, languages: d.languages, style: d.style, mutedTopics: d.mutedTopics, at: new Date(d.updatedAt ?? e.time) }
      }),
    )
  },
}
