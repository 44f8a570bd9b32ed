import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'
import type { UserSignals } from '../domain/style.ts'

export interface PreferencesRow {
  userId: string
  languages: string[]
  style: Record<string, string>
  mutedTopics: string[]
  at: Date
}

/** Mirrors preferences; an older event (redelivered out of order) never overwrites a newer one. */
export async function savePreferences(trx: Kysely<GenerationDb>, rows: PreferencesRow[]): Promise<void> {
  for (const r of rows) {
    await trx
      .insertInto('userSignals')
      .values({ userId: r.userId, languages: r.languages, style: JSON.stringify(r.style), mutedTopics: r.mutedTopics, preferencesAt: r.at })
      .onConflict((oc) =>
        oc
          .column('userId')
          .doUpdateSet((eb) => ({
            languages: eb.ref('excluded.languages'),
            style: eb.ref('excluded.style'),
            mutedTopics: eb.ref('excluded.mutedTopics'),
            preferencesAt: eb.ref('excluded.preferencesAt'),
          }))
          .where((eb) => eb.or([eb('userSignals.preferencesAt', 'is', null), eb('userSignals.preferencesAt', '<=', eb.ref('excluded.preferencesAt'))])),
      )
      .execute()
  }
}

/** Keeps each user's latest scored sentiment (their current mood). */
export async function saveSentiment(trx: Kysely<GenerationDb>, rows: { userId: string; compound: number; at: Date }[]): Promise<void> {
  for (const r of rows) {
    await trx
      .insertInto('userSignals')
      .values({ userId: r.userId, sentimentCompound: r.compound, sentimentAt: r.at })
      .onConflict((oc) =>
        oc
          .column('userId')
          .doUpdateSet((eb) => ({ sentimentCompound: eb.ref('excluded.sentimentCompound'), sentimentAt: eb.ref('excluded.sentimentAt') }))
          .where((eb) => eb.or([eb('userSignals.sentimentAt', 'is', null), eb('userSignals.sentimentAt', '<=', eb.ref('excluded.sentimentAt'))])),
      )
      .execute()
  }
}

/** What is known about a user's language style and mood; undefined when nothing is. */
export async function signalsOf(db: Kysely<GenerationDb>, userId: string): Promise<(UserSignals & { mutedTopics: string[] }) | undefined> {
  const row = await db.selectFrom('userSignals').selectAll().where('userId', '=', userId).executeTakeFirst()
  if (!row) return undefined
  return { languages: row.languages, style: row.style as UserSignals['style'], sentimentCompound: row.sentimentCompound, mutedTopics: row.mutedTopics }
}
