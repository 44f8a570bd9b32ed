import { type Kysely, sql } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { ProfilingDb } from '../db.ts'
import type { TraitRows } from '../domain/profile-traits.ts'
import { AFFINITY_HALF_LIFE_MS } from '../domain/trait-increments.ts'

type Db = Kysely<ProfilingDb>

export async function addDailyCounts(db: Db, rows: { userId: string; day: string; eventType: string; count: number }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('profileDailyCounts')
    .values(rows)
    .onConflict((oc) => oc.columns(['userId', 'day', 'eventType']).doUpdateSet({ count: sql`profile_daily_counts.count + excluded.count` }))
    .execute()
}

export async function addHours(db: Db, rows: { userId: string; hourOfWeek: number; count: number }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('profileHours')
    .values(rows)
    .onConflict((oc) => oc.columns(['userId', 'hourOfWeek']).doUpdateSet({ count: sql`profile_hours.count + excluded.count` }))
    .execute()
}

export async function addLanguages(db: Db, rows: { userId: string; language: string; count: number }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('profileLanguages')
    .values(rows)
    .onConflict((oc) => oc.columns(['userId', 'language']).doUpdateSet({ count: sql`profile_languages.count + excluded.count` }))
    .execute()
}

/** Adds decayed affinity weights: both sides are brought to the later time before summing. */
export async function addAffinities(db: Db, rows: { userId: string; kind: string; value: string; weight: number; asOf: Date }[]): Promise<void> {
  if (rows.length === 0) return
  const h = AFFINITY_HALF_LIFE_MS / 1000
  const decayed = (side: 'profile_affinities' | 'excluded') =>
    sql`${sql.raw(side)}.weight * power(0.5, extract(epoch from (greatest(profile_affinities.as_of, excluded.as_of) - ${sql.raw(side)}.as_of)) / ${h})`
  await db
    .insertInto('profileAffinities')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['userId', 'kind', 'value']).doUpdateSet({
        weight: sql`${decayed('profile_affinities')} + ${decayed('excluded')}`,
        asOf: sql`greatest(profile_affinities.as_of, excluded.as_of)`,
      }),
    )
    .execute()
}

/** Widens first/last seen of each profile, creating profiles as they first appear. */
export async function touchProfiles(db: Db, seen: { userId: string; first: Date; last: Date }[], now: Date): Promise<void> {
  if (seen.length === 0) return
  await db
    .insertInto('profiles')
    .values(seen.map((s) => ({ userId: s.userId, firstSeen: s.first, lastSeen: s.last, updatedAt: now })))
    .onConflict((oc) =>
      oc.column('userId').doUpdateSet({
        firstSeen: sql`least(coalesce(profiles.first_seen, excluded.first_seen), excluded.first_seen)`,
        lastSeen: sql`greatest(coalesce(profiles.last_seen, excluded.last_seen), excluded.last_seen)`,
        updatedAt: now,
      }),
    )
    .execute()
}

export async function addSentiment(db: Db, userId: string, samples: number, compoundSum: number, emotions: Record<string, number>): Promise<void> {
  const current = await db.selectFrom('profileSentiment').selectAll().where('userId', '=', userId).forUpdate().executeTakeFirst()
  const merged = { ...(current?.emotions ?? {}) }
  for (const [e, n] of Object.entries(emotions)) merged[e] = (merged[e] ?? 0) + n
  await db
    .insertInto('profileSentiment')
    .values({ userId, samples, compoundSum, emotions: JSON.stringify(merged) })
    .onConflict((oc) =>
      oc.column('userId').doUpdateSet({
        samples: sql`profile_sentiment.samples + excluded.samples`,
        compoundSum: sql`profile_sentiment.compound_sum + excluded.compound_sum`,
        emotions: JSON.stringify(merged),
      }),
    )
    .execute()
}

/** Moves every aggregate row of `from` onto `to`, adding where both have one. */
export async function moveAggregates(db: Db, from: string, to: string): Promise<void> {
  const daily = await db.deleteFrom('profileDailyCounts').where('userId', '=', from).returningAll().execute()
  await addDailyCounts(
    db,
    daily.map((r) => ({ ...r, userId: to })),
  )
  const hours = await db.deleteFrom('profileHours').where('userId', '=', from).returningAll().execute()
  await addHours(
    db,
    hours.map((r) => ({ ...r, userId: to })),
  )
  const languages = await db.deleteFrom('profileLanguages').where('userId', '=', from).returningAll().execute()
  await addLanguages(
    db,
    languages.map((r) => ({ ...r, userId: to })),
  )
  const affinities = await db.deleteFrom('profileAffinities').where('userId', '=', from).returningAll().execute()
  await addAffinities(
    db,
    affinities.map((r) => ({ ...r, userId: to })),
  )
  const sentiment = await db.deleteFrom('profileSentiment').where('userId', '=', from).returningAll().executeTakeFirst()
  if (sentiment) await addSentiment(db, to, sentiment.samples, sentiment.compoundSum, sentiment.emotions)
}

export type ProfileRows = TraitRows & { userId: string; attributes: Record<string, unknown>; mergedAnonymousIds: string[] }

/**
 * Everything a profile is computed from, in one round trip (the read path is latency-bound).
 * An anonymous id that was merged resolves to its user.
 */
export async function readTraitRows(db: Db, id: string): Promise<ProfileRows | undefined> {
  const row = await db
    .selectFrom('profiles as p')
    .select((eb) => [
      'p.userId',
      'p.attributes',
      'p.firstSeen',
      'p.lastSeen',
      jsonArrayFrom(
        eb
          .selectFrom('profileDailyCounts as d')
          .select(['d.day', 'd.eventType', 'd.count'])
          .whereRef('d.userId', '=', 'p.userId')
          .where('d.day', '>=', sql<string>`current_date - 90`),
      ).as('daily'),
      jsonArrayFrom(eb.selectFrom('profileAffinities as a').select(['a.kind', 'a.value', 'a.weight', 'a.asOf']).whereRef('a.userId', '=', 'p.userId')).as(
        'affinities',
      ),
      jsonArrayFrom(eb.selectFrom('profileHours as h').select(['h.hourOfWeek', 'h.count']).whereRef('h.userId', '=', 'p.userId')).as('hours'),
      jsonArrayFrom(eb.selectFrom('profileLanguages as l').select(['l.language', 'l.count']).whereRef('l.userId', '=', 'p.userId')).as('languages'),
      jsonArrayFrom(eb.selectFrom('identityLinks as i').select('i.anonymousId').whereRef('i.userId', '=', 'p.userId').orderBy('i.mergedAt')).as('merged'),
      jsonObjectFrom(eb.selectFrom('profileSentiment as s').select(['s.samples', 's.compoundSum', 's.emotions']).whereRef('s.userId', '=', 'p.userId')).as(
        'sentiment',
      ),
    ])
    .where('p.userId', '=', (eb) => eb.fn.coalesce(eb.selectFrom('identityLinks').select('userId').where('anonymousId', '=', id), eb.val(id)))
    .executeTakeFirst()
  if (!row) return undefined
  return {
    userId: row.userId,
    mergedAnonymousIds: row.merged.map((m) => m.anonymousId),
    attributes: row.attributes,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    daily: row.daily,
    // JSON carries timestamps as text.
    affinities: row.affinities.map((a) => ({ ...a, asOf: new Date(a.asOf) })),
    hours: row.hours,
    languages: row.languages,
    sentiment: row.sentiment ?? undefined,
  }
}
