import type { ConsentChangedData } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { textArray } from './pg-arrays.ts'
import { eachUserId, userIdList } from './user-id-lists.ts'

type Db = Kysely<SchedulingDb>

/** Stores each user's consent state per purpose from `consent.changed` (the newest `asOf` wins). */
export async function saveConsents(db: Db, docs: ConsentChangedData[]): Promise<void> {
  const latest = new Map<string, { userId: string; states: string; asOf: Date }>()
  for (const d of docs) {
    const asOf = new Date(d.asOf)
    const prev = latest.get(d.userId)
    if (prev && prev.asOf > asOf) continue
    const states = Object.fromEntries(Object.entries(d.purposes).map(([p, v]) => [p, v.state]))
    latest.set(d.userId, { userId: d.userId, states: JSON.stringify(states), asOf })
  }
  if (latest.size === 0) return
  await db
    .insertInto('userConsents')
    .values([...latest.values()])
    .onConflict((oc) =>
      oc
        .column('userId')
        .doUpdateSet((eb) => ({ states: eb.ref('excluded.states'), asOf: eb.ref('excluded.asOf') }))
        .where((eb) => eb('excluded.asOf', '>=', eb.ref('userConsents.asOf'))),
    )
    .execute()
}

/** Consent states of many users (a user missing has every purpose `unknown`), grouped like `loadPreferences`: users with the same states share one read-only object. */
export async function loadConsents(db: Db, userIds: readonly string[]): Promise<Map<string, Readonly<Record<string, string>>>> {
  const out = new Map<string, Readonly<Record<string, string>>>()
  for (let i = 0; i < userIds.length; i += 20_000) {
    const rows = await db
      .selectFrom('userConsents')
      .select([sql<string>`states::text`.as('states'), userIdList.as('userIds')])
      .where('userId', '=', sql<string>`any(${textArray(userIds.slice(i, i + 20_000))}::text[])`)
      .groupBy(sql`1`)
      .execute()
    for (const r of rows) {
      const states = JSON.parse(r.states) as Record<string, string>
      eachUserId(r.userIds, (userId) => out.set(userId, states))
    }
  }
  return out
}
