import { EventTypes } from '@attune/contracts'
import type { MemoryBus } from '@attune/kit'
import { type Kysely, sql } from 'kysely'

/** The names of the segments the user is a member of, sorted. */
export async function segmentNamesOf(root: Kysely<unknown>, userId: string): Promise<string[]> {
  const r = await sql<{ name: string }>`select s.name from profiling.segment_members m join profiling.segments s on s.id = m.segment_id
    where m.user_id = ${userId} order by s.name`.execute(root)
  return r.rows.map((row) => row.name)
}

/** The joins and leaves published about the user on `topic`, in order, as `change name` (`names`: segment id → name). */
export function membershipChangesOf(bus: MemoryBus, topic: string, userId: string, names: ReadonlyMap<string, string>): string[] {
  return bus
    .messages(topic)
    .map((m) => JSON.parse(m.value) as { type: string; data: { segmentId: string; userId: string; change: string } })
    .filter((e) => e.type === EventTypes.segmentMembershipChanged.type && e.data.userId === userId)
    .map((e) => `${e.data.change} ${names.get(e.data.segmentId)}`)
}
