import type { PreferencesUpdatedData } from '@attune/contracts'
import { type Kysely, sql } from 'kysely'
import type { SchedulingDb, UserPreferencesTable } from '../db.ts'
import { textArray } from './pg-arrays.ts'
import { eachUserId, userIdList } from './user-id-lists.ts'

type Db = Kysely<SchedulingDb>

/** Profiling's defaults for a user who never set preferences: only in-app messages are opted in. */
export const DEFAULT_CHANNELS: Record<string, boolean> = { email: false, push: false, sms: false, in_app: true, webhook: false }

/** The settings planning and dispatch read; users with the same settings share one (read-only) object. */
export type UserPreferences = Readonly<
  Pick<UserPreferencesTable, 'timeZone' | 'quietStart' | 'quietEnd' | 'nonPersonalized'> & {
    channels: Readonly<Record<string, boolean | undefined>>
    frequencyCaps: Readonly<Record<string, { max: number; per: 'day' | 'week' } | undefined>>
  }
>

/**
 * Stores the scheduling part of `preferences.updated` documents (the newest per user; an older
 * document than the stored one is ignored). Returns the users whose time zone changed, with the
 * old and new zone (null = the default).
 */
export async function savePreferences(
  db: Db,
  docs: { data: PreferencesUpdatedData; at: Date }[],
): Promise<{ userId: string; from: string | null; to: string | null }[]> {
  const latest = new Map<
    string,
    {
      userId: string
      timeZone: string | null
      quietStart: string | null
      quietEnd: string | null
      channels: string
      frequencyCaps: string
      nonPersonalized: boolean
      updatedAt: Date
    }
  >()
  for (const { data, at } of docs) {
    const updatedAt = data.updatedAt ? new Date(data.updatedAt) : at
    const prev = latest.get(data.userId)
    if (prev && prev.updatedAt > updatedAt) continue
    latest.set(data.userId, {
      userId: data.userId,
      timeZone: data.quietHours?.timeZone ?? null,
      quietStart: data.quietHours?.start ?? null,
      quietEnd: data.quietHours?.end ?? null,
      channels: JSON.stringify(data.channels),
      frequencyCaps: JSON.stringify(data.frequencyCaps),
      nonPersonalized: data.nonPersonalized,
      updatedAt,
    })
  }
  if (latest.size === 0) return []
  const ids = [...latest.keys()]
  const before = new Map(
    (await db.selectFrom('userPreferences').select(['userId', 'timeZone']).where('userId', 'in', ids).forUpdate().execute()).map((r) => [r.userId, r.timeZone]),
  )
  const written = await db
    .insertInto('userPreferences')
    .values([...latest.values()])
    .onConflict((oc) =>
      oc
        .column('userId')
        .doUpdateSet((eb) => ({
          timeZone: eb.ref('excluded.timeZone'),
          quietStart: eb.ref('excluded.quietStart'),
          quietEnd: eb.ref('excluded.quietEnd'),
          channels: eb.ref('excluded.channels'),
          frequencyCaps: eb.ref('excluded.frequencyCaps'),
          nonPersonalized: eb.ref('excluded.nonPersonalized'),
          updatedAt: eb.ref('excluded.updatedAt'),
        }))
        .where((eb) => eb('excluded.updatedAt', '>=', eb.ref('userPreferences.updatedAt'))),
    )
    .returning(['userId', 'timeZone'])
    .execute()
  return written
    .filter((w) => (before.get(w.userId) ?? null) !== w.timeZone)
    .map((w) => ({ userId: w.userId, from: before.get(w.userId) ?? null, to: w.timeZone }))
}

/**
 * Preferences of many users (chunked); a user missing has profiling's defaults. Grouped by
 * setting in SQL, each group's users in one value (`userIdList`): a 100k-user audience has a
 * handful of distinct settings, so this reads and parses a handful of rows, and users with the
 * same settings share one object.
 */
export async function loadPreferences(db: Db, userIds: readonly string[]): Promise<Map<string, UserPreferences>> {
  const out = new Map<string, UserPreferences>()
  for (let i = 0; i < userIds.length; i += 20_000) {
    const rows = await db
      .selectFrom('userPreferences')
      .select([
        sql<string>`json_build_array(time_zone, quiet_start, quiet_end, channels, frequency_caps, non_personalized)::text`.as('settings'),
        userIdList.as('userIds'),
      ])
      .where('userId', '=', sql<string>`any(${textArray(userIds.slice(i, i + 20_000))}::text[])`)
      .groupBy(sql`1`)
      .execute()
    for (const r of rows) {
      const [timeZone, quietStart, quietEnd, channels, frequencyCaps, nonPersonalized] = JSON.parse(r.settings) as [
        string | null,
        string | null,
        string | null,
        UserPreferences['channels'],
        UserPreferences['frequencyCaps'],
        boolean,
      ]
      const p: UserPreferences = { timeZone, quietStart, quietEnd, channels, frequencyCaps, nonPersonalized }
      eachUserId(r.userIds, (userId) => out.set(userId, p))
    }
  }
  return out
}
