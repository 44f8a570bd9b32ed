import { EventTypes, SegmentMembershipChanged, type SegmentMembershipChangedData, Topics } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { KitTables } from '../db/kit-tables.ts'
import type { ConsumerDefinition } from './consumer.ts'

/** A service's copy of profiling's segment memberships: a `user_segments` table keyed by user and segment. */
export interface UserSegmentsTable {
  userId: string
  segmentId: string
  since: Date
}

export interface SegmentMirrorTables {
  userSegments: UserSegmentsTable
}

/** Applies joins and leaves in the order given (the order they were published for each user). */
export async function applySegmentChanges(db: Kysely<SegmentMirrorTables>, changes: { data: SegmentMembershipChangedData; at: Date }[]): Promise<void> {
  for (const { data, at } of changes) {
    if (data.change === 'joined')
      await db
        .insertInto('userSegments')
        .values({ userId: data.userId, segmentId: data.segmentId, since: at })
        .onConflict((oc) => oc.columns(['userId', 'segmentId']).doNothing())
        .execute()
    else await db.deleteFrom('userSegments').where('userId', '=', data.userId).where('segmentId', '=', data.segmentId).execute()
  }
}

/** Mirrors segment memberships from `attune.profiles` into the service's `user_segments`. */
export function segmentMirrorConsumer<DB extends KitTables & SegmentMirrorTables>(): ConsumerDefinition<DB> {
  return {
    name: 'segment-memberships',
    topic: Topics.profiles,
    types: [EventTypes.segmentMembershipChanged.type],
    schema: SegmentMembershipChanged,
    async handle(trx, events) {
      await applySegmentChanges(
        trx as unknown as Kysely<SegmentMirrorTables>,
        events.map((e) => ({ data: e.data as SegmentMembershipChangedData, at: new Date(e.time) })),
      )
    },
  }
}
