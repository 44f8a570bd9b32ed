import type { SegmentMembershipChangedData } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { SchedulingDb } from '../db.ts'

type Db = Kysely<SchedulingDb>

/** Applies joins and leaves in the order given (the order they were published for each user). */
export async function applySegmentChanges(db: Db, changes: { data: SegmentMembershipChangedData; at: Date }[]): Promise<void> {
  for (const { data, at } of changes) {
    if (data.change === 'joined')
      await db
        .insertInto('userSegments')
        .values({ userId: data.userId, segmentId: data.segmentId, since: at })
        .onConflict((oc) => oc.columns(['segmentId', 'userId']).doNothing())
        .execute()
    else await db.deleteFrom('userSegments').where('userId', '=', data.userId).where('segmentId', '=', data.segmentId).execute()
  }
}

/** The members of a segment as mirrored from profiling, in id order. */
export async function segmentMembers(db: Db, segmentId: string): Promise<string[]> {
  const rows = await db.selectFrom('userSegments').select('userId').where('segmentId', '=', segmentId).orderBy('userId').execute()
  return rows.map((r) => r.userId)
}

/** The segments of many users. */
export async function segmentsOfUsers(db: Db, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  for (let i = 0; i < userIds.length; i += 20_000) {
    const rows = await db
      .selectFrom('userSegments')
      .select(['userId', 'segmentId'])
      .where('userId', '=', sql<string>`any(${sql.val(userIds.slice(i, i + 20_000))}::text[])`)
      .execute()
    for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.segmentId])
  }
  return out
}
