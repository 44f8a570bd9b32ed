import { boundedJsonArrays, writePieces } from '@attune/kit'
import { type Kysely, sql } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import type { CustomTraitDefinition } from '../domain/custom-traits.ts'
import type { TraitRows } from '../domain/profile-traits.ts'
import { firstDayKept, type TraitDelta, type TraitDocument, traitDeltas, traitDocumentOf, traitRowsOf } from '../domain/trait-documents.ts'
import { AFFINITY_HALF_LIFE_MS, type TraitIncrements } from '../domain/trait-increments.ts'

type Db = Kysely<ProfilingDb>

/**
 * The aggregate map of a profile row as JSON text: the kit's CamelCasePlugin rewrites the keys of
 * objects in results (`d:2026-11-25:not_interested` would come back as `…notInterested`), and
 * these keys are data. `parseTraitDocument` reads it back.
 */
export const traitDocumentColumns = [sql<string>`traits::text`.as('traits'), 'affinitiesAsOf'] as const

export function parseTraitDocument(r: { traits: string; affinitiesAsOf: Date | null }): TraitDocument {
  return traitDocumentOf(JSON.parse(r.traits), r.affinitiesAsOf)
}

/**
 * Adds a batch's increments to the profiles' trait aggregates, creating profiles as they first
 * appear: one `profile_traits_add` call (migration 0008), one row written per profile.
 */
export async function addTraitIncrements(db: Db, schema: string, inc: TraitIncrements, now: Date): Promise<void> {
  await addTraitDeltas(db, schema, traitDeltas(inc, now), now)
}

// The deltas go as JSON arrays of at most the kit's MAX_PARAMETER_CHARS, one call each, in profile-id
// order across calls too (each locks its profiles in that order, so concurrent batches cannot deadlock).
async function addTraitDeltas(db: Db, schema: string, deltas: TraitDelta[], now: Date): Promise<void> {
  if (deltas.length === 0) return
  const from = firstDayKept(now)
  await writePieces(db, boundedJsonArrays(deltas.map((d) => JSON.stringify(d))), (q, rows) =>
    sql`select ${sql.id(schema, 'profile_traits_add')}(${rows}::jsonb, ${now}, ${from}, ${AFFINITY_HALF_LIFE_MS / 1000}::float8)`.execute(q),
  )
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

/**
 * Folds the profile `from` into `to` (an identity merge): its trait aggregates are added, its
 * first/last seen widen `to`'s, its attributes apply where `to` has none, its sentiment is added;
 * `from`'s rows are deleted.
 */
export async function moveProfile(db: Db, schema: string, from: string, to: string, now: Date): Promise<void> {
  const anon = await db
    .deleteFrom('profiles')
    .where('userId', '=', from)
    .returning(['attributes', 'firstSeen', 'lastSeen', ...traitDocumentColumns])
    .executeTakeFirst()
  if (anon) {
    if (anon.firstSeen && anon.lastSeen) {
      const delta = {
        u: to,
        f: anon.firstSeen.toISOString(),
        l: anon.lastSeen.toISOString(),
        c: JSON.parse(anon.traits),
        t: anon.affinitiesAsOf?.toISOString() ?? null,
      }
      await addTraitDeltas(db, schema, [delta], now)
    }
    await db
      .insertInto('profiles')
      .values({ userId: to, attributes: JSON.stringify(anon.attributes), updatedAt: now })
      .onConflict((oc) =>
        // The known user's own attributes win over what was set on the anonymous profile.
        oc.column('userId').doUpdateSet({ attributes: sql`excluded.attributes || profiles.attributes`, updatedAt: now }),
      )
      .execute()
  }
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
  /** The aggregate map as JSON text (see `traitDocumentColumns`). */
  traits: string
  affinitiesAsOf: string | null
  merged: string[]
  sentiment: NonNullable<TraitRows['sentiment']> | null
  definitions: CustomTraitDefinition[]
}

/**
 * Everything each profile is computed from, in one round trip through the `profile_read` function
 * (migrations 0006 and 0008: its plan is cached per connection; the read path is latency-bound),
 * in the order of `ids`. An anonymous id that was merged resolves to its user; unknown ids give
 * undefined.
 */
export async function readTraitRowsMany(db: Db, schema: string, ids: readonly string[], now: Date): Promise<(ProfileRows | undefined)[]> {
  const { rows } = await sql<{ doc: ProfileReadDocument | null }>`
    select ${sql.id(schema, 'profile_read')}(i.id) as doc
    from unnest(${ids}::text[]) with ordinality as i(id, n) order by i.n`.execute(db)
  return rows.map((r) => (r.doc ? profileRowsOf(r.doc, now) : undefined))
}

function profileRowsOf(doc: ProfileReadDocument, now: Date): ProfileRows {
  return {
    userId: doc.userId,
    mergedAnonymousIds: doc.merged,
    attributes: doc.attributes,
    firstSeen: doc.firstSeen === null ? null : new Date(doc.firstSeen),
    lastSeen: doc.lastSeen === null ? null : new Date(doc.lastSeen),
    ...traitRowsOf(parseTraitDocument({ ...doc, affinitiesAsOf: doc.affinitiesAsOf === null ? null : new Date(doc.affinitiesAsOf) }), now),
    sentiment: doc.sentiment ?? undefined,
    definitions: doc.definitions,
  }
}
