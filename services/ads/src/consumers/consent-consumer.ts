import { ConsentChanged, type ConsentChangedData, EventTypes, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { AdsDb } from '../db.ts'
import { saveConsent } from '../store/users-store.ts'

/** Mirrors each user's ad-personalization consent from `attune.profiles`; without a grant their kept impressions go. */
export const consentConsumer: ConsumerDefinition<AdsDb> = {
  name: 'ad-consent',
  topic: Topics.profiles,
  types: [EventTypes.consentChanged.type],
  schema: ConsentChanged,
  async handle(trx, events) {
    await saveConsent(
      trx,
      events.map((e) => {
        const d = e.data as ConsentChangedData
        return { userId: d.userId, state: d.purposes.ad_personalization.state, at: new Date(d.asOf) }
      }),
    )
  },
}
