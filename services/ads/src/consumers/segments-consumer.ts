import { EventTypes, SegmentMembershipChanged, type SegmentMembershipChangedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { AdsDb } from '../db.ts'
import { applySegmentChanges } from '../store/users-store.ts'

/** Mirrors segment memberships from `attune.profiles` (audience targeting). */
export const segmentsConsumer: ConsumerDefinition<AdsDb> = {
  name: 'segment-memberships',
  topic: Topics.profiles,
  types: [EventTypes.segmentMembershipChanged.type],
  schema: SegmentMembershipChanged,
  async handle(trx, events) {
    await applySegmentChanges(
      trx,
      events.map((e) => {
        const d = e.data as SegmentMembershipChangedData
        return { userId: d.userId, segmentId: d.segmentId, change: d.change, at: new Date(e.time) }
      }),
    )
  },
}
