import { EventTypes, SegmentMembershipChanged, type SegmentMembershipChangedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { SchedulingDb } from '../db.ts'
import { applySegmentChanges } from '../store/segments-store.ts'

/** Mirrors segment memberships from `attune.profiles`: campaign audiences and segment activity profiles. */
export const segmentsConsumer: ConsumerDefinition<SchedulingDb> = {
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
