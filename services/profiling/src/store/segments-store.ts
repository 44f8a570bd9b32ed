import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { TraitRows } from '../domain/profile-traits.ts'
import type { AffinityRow } from '../domain/segment-learning.ts'
import type { MembershipChange, SegmentRule } from '../domain/segment-rules.ts'
import { traitRowsOf } from '../domain/trait-documents.ts'
import { parseTraitDocument, traitDocumentColumns } from './trait-aggregates-store.ts'

type Db = Kysely<ProfilingDb>

export interface SegmentRow {
  id: string
  kind: 'rule' | 'learned'
  name: string
  description: string | null
  rule: SegmentRule | null
  createdAt: Date
  members: number
}

const withCounts = (db: Db) =>
  db
    .selectFrom('segments as s')
    .select(['s.id', 's.kind', 's.name', 's.description', 's.rule', 's.createdAt'])
    .select((eb) => eb.selectFrom('segmentMembers as m').whereRef('m.segmentId', '=', 's.id').select(eb.fn.countAll<string>().as('n')).as('members'))

const toRow = (r: { members: string | null; rule: unknown } & Omit<SegmentRow, 'members' | 'rule'>): SegmentRow => ({
  ...r,
  rule: (r.rule ?? null) as SegmentRule | null,
  members: Number(r.members ?? 0),
})

export async function insertSegment(
  db: Db,
  s: { id: string; kind: 'rule' | 'learned'; name: string; description: string | null; rule: SegmentRule | null; createdAt: Date },
): Promise<void> {
  await db
    .insertInto('segments')
    .values({ ...s, rule: s.rule ? JSON.stringify(s.rule) : null })
    .execute()
}

export async function listSegments(db: Db): Promise<SegmentRow[]> {
  const rows = await withCounts(db).orderBy('s.createdAt').orderBy('s.name').orderBy('s.id').execute()
  return rows.map(toRow)
}

export async function findSegment(db: Db, id: string): Promise<SegmentRow | undefined> {
  const row = await withCounts(db).where('s.id', '=', id).executeTakeFirst()
  return row ? toRow(row) : undefined
}

export async function deleteSegment(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('segments').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function ruleSegments(db: Db): Promise<{ id: string; rule: SegmentRule }[]> {
  const rows = await db.selectFrom('segments').select(['id', 'rule']).where('kind', '=', 'rule').orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, rule: r.rule as SegmentRule }))
}

/** Current memberships among these segments and users, as `segmentId userId` keys. */
export async function currentMemberships(db: Db, segmentIds: string[], userIds: string[]): Promise<Set<string>> {
  if (segmentIds.length === 0 || userIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('segmentMembers')
    .select(['segmentId', 'userId'])
    .where('segmentId', 'in', segmentIds)
    .where('userId', 'in', userIds)
    .execute()
  return new Set(rows.map((r) => `${r.segmentId} ${r.userId}`))
}

/** Adds the joined and removes the left members. */
export async function applyMembershipChanges(db: Db, changes: MembershipChange[], now: Date): Promise<void> {
  const joined = changes.filter((c) => c.change === 'joined')
  for (let i = 0; i < joined.length; i += 5000) {
    await db
      .insertInto('segmentMembers')
      .values(joined.slice(i, i + 5000).map((c) => ({ segmentId: c.segmentId, userId: c.userId, since: now })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  for (const c of changes) {
    if (c.change === 'left') await db.deleteFrom('segmentMembers').where('segmentId', '=', c.segmentId).where('userId', '=', c.userId).execute()
  }
}

/** A page of members ordered by user id, after `afterUserId`; one extra row tells whether more follow. */
export async function membersPage(db: Db, segmentId: string, limit: number, afterUserId?: string): Promise<{ userId: string; since: Date }[]> {
  let q = db
    .selectFrom('segmentMembers')
    .select(['userId', 'since'])
    .where('segmentId', '=', segmentId)
    .orderBy(sql`user_id collate "C"`)
    .limit(limit + 1)
  if (afterUserId !== undefined) q = q.where(sql<boolean>`user_id collate "C" > ${afterUserId}`)
  return q.execute()
}

export async function segmentsOfUser(db: Db, userId: string): Promise<{ id: string; kind: 'rule' | 'learned'; name: string; since: Date }[]> {
  return db
    .selectFrom('segmentMembers as m')
    .innerJoin('segments as s', 's.id', 'm.segmentId')
    .select(['s.id', 's.kind', 's.name', 'm.since'])
    .where('m.userId', '=', userId)
    .orderBy('s.name')
    .orderBy('s.id')
    .execute()
}

export async function profileExists(db: Db, userId: string): Promise<boolean> {
  return (await db.selectFrom('profiles').select('userId').where('userId', '=', userId).executeTakeFirst()) !== undefined
}

/** Profile ids in order, a page at a time (for evaluating a new segment over everyone). */
export async function profileIdsPage(db: Db, limit: number, afterUserId?: string): Promise<string[]> {
  let q = db.selectFrom('profiles').select('userId').orderBy(sql`user_id collate "C"`).limit(limit)
  if (afterUserId !== undefined) q = q.where(sql<boolean>`user_id collate "C" > ${afterUserId}`)
  return (await q.execute()).map((r) => r.userId)
}

/** The aggregate rows and attributes of many profiles at once (`readTraitRows` for a batch); unknown ids are absent. */
export async function readTraitRowsFor(db: Db, userIds: string[], now: Date): Promise<Map<string, TraitRows & { attributes: Record<string, unknown> }>> {
  const out = new Map<string, TraitRows & { attributes: Record<string, unknown> }>()
  if (userIds.length === 0) return out
  const ids = [...new Set(userIds)]
  const [profiles, sentiment] = await Promise.all([
    db
      .selectFrom('profiles')
      .select(['userId', 'attributes', 'firstSeen', 'lastSeen', ...traitDocumentColumns])
      .where('userId', 'in', ids)
      .execute(),
    db.selectFrom('profileSentiment').select(['userId', 'samples', 'compoundSum', 'emotions']).where('userId', 'in', ids).execute(),
  ])
  for (const p of profiles) {
    out.set(p.userId, {
      attributes: p.attributes,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      ...traitRowsOf(parseTraitDocument(p), now),
      sentiment: undefined,
    })
  }
  for (const { userId, ...r } of sentiment) {
    const rows = out.get(userId)
    if (rows) rows.sentiment = r
  }
  return out
}

/** Affinity rows of these kinds, for users with at least `minEvents` events in the last 90 days. */
export async function affinitiesForLearning(db: Db, kinds: readonly string[], minEvents: number): Promise<AffinityRow[]> {
  // Affinity keys are `a:kind:value`, daily keys `d:yyyy-mm-dd:type` (migration 0008).
  let q = db
    .selectFrom(['profiles as p', sql<{ key: string; value: string }>`jsonb_each_text(p.traits)`.as('e')])
    .select([
      'p.userId',
      sql<string>`split_part(e.key, ':', 2)`.as('kind'),
      sql<string>`substr(e.key, strpos(substr(e.key, 3), ':') + 3)`.as('value'),
      sql<number>`e.value::float8`.as('weight'),
      sql<Date>`p.affinities_as_of`.as('asOf'),
    ])
    .where(sql<string>`left(e.key, 2)`, '=', 'a:')
    .where(sql<string>`split_part(e.key, ':', 2)`, 'in', [...kinds])
    .where(sql<number>`e.value::float8`, '>', 0)
  if (minEvents > 0) {
    q = q.where(
      sql<number>`(select coalesce(sum(d.value::float8), 0) from jsonb_each_text(p.traits) d
                   where left(d.key, 2) = 'd:' and d.key >= 'd:' || to_char(current_date - 90, 'YYYY-MM-DD') collate "C")`,
      '>=',
      minEvents,
    )
  }
  return q.orderBy('p.userId').orderBy('kind').orderBy('value').execute()
}

/** Deletes every learned segment; returns their memberships (they all end). */
export async function deleteLearnedSegments(db: Db): Promise<{ segmentId: string; userId: string }[]> {
  const members = await db
    .selectFrom('segmentMembers as m')
    .innerJoin('segments as s', 's.id', 'm.segmentId')
    .select(['m.segmentId', 'm.userId'])
    .where('s.kind', '=', 'learned')
    .orderBy('m.segmentId')
    .orderBy('m.userId')
    .execute()
  await db.deleteFrom('segments').where('kind', '=', 'learned').execute()
  return members
}

/**
 * Removes an anonymous id merged into a user from every segment, rule or learned, and returns the
 * memberships that ended (to publish as leaves), in segment id order.
 */
export async function endMembershipsOf(db: Db, anonymousId: string): Promise<MembershipChange[]> {
  const rows = await db.deleteFrom('segmentMembers').where('userId', '=', anonymousId).returning('segmentId').execute()
  return rows
    .map((r) => r.segmentId)
    .sort()
    .map((segmentId) => ({ segmentId, userId: anonymousId, change: 'left' }))
}

/** Removes a user from every segment (privacy erasure). Idempotent. */
export async function eraseUserSegments(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('segmentMembers').where('userId', '=', userId).execute()
}
