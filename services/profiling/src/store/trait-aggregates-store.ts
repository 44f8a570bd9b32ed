import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { CustomTraitDefinition } from '../domain/custom-traits.ts'
import type { TraitRows } from '../domain/profile-traits.ts'
import { AFFINITY_HALF_LIFE_MS } from '../domain/trait-increments.ts'

type Db = Kysely<ProfilingDb>

/**
 * Rows in key order: consumers apply partitions concurrently, and two multi-row upserts that lock
 * the same rows in different orders would deadlock.
 */
function inKeyOrder<T>(rows: T[], key: (r: T) => string): T[] {
  return rows
    .map((r) => [key(r), r] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, r]) => r)
}

export async function addDailyCounts(db: Db, rows: { userId: string; day: string; eventType: string; count: number }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('profileDailyCounts')
    .values(inKeyOrder(rows, (r) => `${r.userId}\u0000${r.day}\u0000${r.eventType}`))
    .onConflict((oc) => oc.columns(['userId', 'day', 'eventType']).doUpdateSet({ count: sql`profile_daily_counts.count + excluded.count` }))
    .execute()
}

export async function addHours(db: Db, rows: { userId: string; hourOfWeek: number; count: number }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('profileHours')
    .values(inKeyOrder(rows, (r) => `${r.userId}\u0000${String(r.hourOfWeek).padStart(3, '0')}`))
    .onConflict((oc) => oc.columns(['userId', 'hourOfWeek']).doUpdateSet({ count: sql`profile_hours.count + excluded.count` }))
    .execute()
}

export async function addLanguages(db: Db, rows: { userId: string; language: string; count: number }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('profileLanguages')
    .values(inKeyOrder(rows, (r) => `${r.userId}\u0000${r.language}`))
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
    .values(inKeyOrder(rows, (r) => `${r.userId}\u0000${r.kind}\u0000${r.value}`))
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
    .values(inKeyOrder(seen, (s) => s.userId).map((s) => ({ userId: s.userId, firstSeen: s.first, lastSeen: s.last, updatedAt: now })))
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

export type ProfileRows = TraitRows & {
  userId: string
  attributes: Record<string, unknown>
  mergedAnonymousIds: string[]
  /** Custom trait definitions as of this read. */
  definitions: CustomTraitDefinition[]
}

/** `profile_read`'s JSON document: timestamps arrive as text. */
interface ProfileReadDocument {
  userId: string
  attributes: Record<string, unknown>
  firstSeen: string | null
  lastSeen: string | null
  daily: TraitRows['daily']
  affinities: { kind: string; value: string; weight: number; asOf: string }[]
  hours: TraitRows['hours']
  languages: TraitRows['languages']
  merged: string[]
  sentiment: NonNullable<TraitRows['sentiment']> | null
  definitions: CustomTraitDefinition[]
}

/**
 * Everything a profile is computed from, in one round trip through the `profile_read` function
 * (migration 0006: its plan is cached per connection; the read path is latency-bound).
 * An anonymous id that was merged resolves to its user.
 */
export async function readTraitRows(db: Db, schema: string, id: string): Promise<ProfileRows | undefined> {
  const { rows } = await sql<{ doc: ProfileReadDocument | null }>`select ${sql.id(schema, 'profile_read')}(${id}) as doc`.execute(db)
  const doc = rows[0]?.doc
  if (!doc) return undefined
  return {
    userId: doc.userId,
    mergedAnonymousIds: doc.merged,
    attributes: doc.attributes,
    firstSeen: doc.firstSeen === null ? null : new Date(doc.firstSeen),
    lastSeen: doc.lastSeen === null ? null : new Date(doc.lastSeen),
    daily: doc.daily,
    affinities: doc.affinities.map((a) => ({ ...a, asOf: new Date(a.asOf) })),
    hours: doc.hours,
    languages: doc.languages,
    sentiment: doc.sentiment ?? undefined,
    definitions: doc.definitions,
  }
}
