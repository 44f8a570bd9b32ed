import { EventTypes, SegmentMembershipChanged, type SegmentMembershipChangedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { RecommendationDb } from '../db.ts'
import { applySegmentChanges } from '../store/segments-store.ts'

/** Mirrors segment memberships from `attune.profiles` (segment popularity for users without history). */
export const segmentsConsumer: ConsumerDefinition<RecommendationDb> = {
  name: 'segment-memberships',
  topic: Topics.profiles,
  types: [EventTypes.segmentMembershipChanged.type],
  schema: SegmentMembershipChanged,
  async handle(trx, events) {
    await applySegmentChanges(
      trx,
      events.map((e) => ({ data: e.data as SegmentMembershipChangedData, at: new Date(e.time) })),
    )
  },
}
