import { type Kysely, sql, type Transaction } from 'kysely'
import type { AdsDb } from '../db.ts'

/** What a decision needs about a user: consent, switches, audience, and impressions since `since` (caps). */
export async function loadUser(db: Kysely<AdsDb>, userId: string, since: Date) {
  const [user, impressions] = await Promise.all([
    db.selectFrom('adUsers').selectAll().where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('userImpressions').select(['campaignId', 'at']).where('userId', '=', userId).where('at', '>', since).execute(),
  ])
  return { user, impressions }
}

export async function saveConsent(trx: Transaction<AdsDb>, rows: { userId: string; state: string; at: Date }[]) {
  for (const r of rows) {
    await trx
      .insertInto('adUsers')
      .values({ userId: r.userId, adConsent: r.state, updatedAt: r.at })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ adConsent: r.state, updatedAt: r.at }))
      .execute()
    // Without consent no per-user history is kept: what was kept for caps goes now.
    if (r.state !== 'granted') await trx.deleteFrom('userImpressions').where('userId', '=', r.userId).execute()
  }
}

export async function savePreferences(trx: Transaction<AdsDb>, rows: { userId: string; nonPersonalized: boolean; interests: string[]; at: Date }[]) {
  for (const r of rows) {
    const interests = r.interests.map((i) => i.toLowerCase())
    await trx
      .insertInto('adUsers')
      .values({ userId: r.userId, nonPersonalized: r.nonPersonalized, interests, updatedAt: r.at })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ nonPersonalized: r.nonPersonalized, interests, updatedAt: r.at }))
      .execute()
    if (r.nonPersonalized) await trx.deleteFrom('userImpressions').where('userId', '=', r.userId).execute()
  }
}

export async function applySegmentChanges(trx: Transaction<AdsDb>, rows: { userId: string; segmentId: string; change: 'joined' | 'left'; at: Date }[]) {
  for (const r of rows) {
    const segments =
      r.change === 'joined'
        ? sql<string[]>`array_append(array_remove(ad_users.segments, ${r.segmentId}), ${r.segmentId})`
        : sql<string[]>`array_remove(ad_users.segments, ${r.segmentId})`
    await trx
      .insertInto('adUsers')
      .values({ userId: r.userId, segments: r.change === 'joined' ? [r.segmentId] : [], updatedAt: r.at })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ segments, updatedAt: r.at }))
      .execute()
  }
}
