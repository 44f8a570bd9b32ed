import { ConsentChanged, type ConsentChangedData, EventTypes, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SchedulingDb } from '../db.ts'
import { saveConsents } from '../store/consents-store.ts'

/** Mirrors consent states (email, push, personalization …) from `attune.profiles`. */
export const consentsConsumer: ConsumerDefinition<SchedulingDb> = {
  name: 'consents',
  topic: Topics.profiles,
  types: [EventTypes.consentChanged.type],
  schema: ConsentChanged,
  async handle(trx, events) {
    await saveConsents(
      trx,
      events.map((e) => e.data as ConsentChangedData),
    )
  },
}
