import { type Kysely, sql } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { textArray } from './pg-arrays.ts'
import { eachUserId, userIdList } from './user-id-lists.ts'

type Db = Kysely<SchedulingDb>

/** The members of a segment as mirrored from profiling, in id order. */
export async function segmentMembers(db: Db, segmentId: string): Promise<string[]> {
  const rows = await db.selectFrom('userSegments').select('userId').where('segmentId', '=', segmentId).orderBy('userId').execute()
  return rows.map((r) => r.userId)
}

/** The segments of many users, in id order, grouped like `loadPreferences`: users in the same segments share one read-only list. */
export async function segmentsOfUsers(db: Db, userIds: readonly string[]): Promise<Map<string, readonly string[]>> {
  const out = new Map<string, readonly string[]>()
  for (let i = 0; i < userIds.length; i += 20_000) {
    const rows = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('userSegments')
          .select(['userId', sql<string>`string_agg(segment_id::text, ',' order by segment_id)`.as('segments')])
          .where('userId', '=', sql<string>`any(${textArray(userIds.slice(i, i + 20_000))}::text[])`)
          .groupBy('userId')
          .as('s'),
      )
      .select(['s.segments', userIdList.as('userIds')])
      .groupBy('s.segments')
      .execute()
    for (const r of rows) {
      const list: readonly string[] = r.segments.split(',')
      eachUserId(r.userIds, (userId) => out.set(userId, list))
    }
  }
  return out
}
