import { type Static, Type } from 'typebox'
import { EventEnvelope, ExternalId } from './envelope.ts'

/** `data` of `segment.membership-changed` on `attune.profiles`: a user joined or left a segment. */
export const SegmentMembershipChangedData = Type.Object(
  {
    segmentId: Type.String({ format: 'uuid', description: 'The segment' }),
    userId: ExternalId,
    change: Type.Union([Type.Literal('joined'), Type.Literal('left')]),
  },
  { $id: 'SegmentMembershipChangedData', additionalProperties: false },
)
export type SegmentMembershipChangedData = Static<typeof SegmentMembershipChangedData>

export const SegmentMembershipChanged = EventEnvelope(SegmentMembershipChangedData, 'SegmentMembershipChanged')
export type SegmentMembershipChanged = Static<typeof SegmentMembershipChanged>
