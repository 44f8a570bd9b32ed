import type { Kysely } from 'kysely'
import type { AdsDb } from '../db.ts'

/** Ads' `privacy.export` hook: everything `eraseUser` would delete, as JSON. */
export async function exportUser(db: Kysely<AdsDb>, userId: string) {
  const [signals, impressions, decisions] = await Promise.all([
    db.selectFrom('adUsers').selectAll().where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('userImpressions').select(['campaignId', 'at']).where('userId', '=', userId).orderBy('at').execute(),
    db
      .selectFrom('decisions')
      .select(['decisionId', 'adId', 'campaignId', 'placementId', 'personalized', 'reasons', 'createdAt'])
      .where('userId', '=', userId)
      .orderBy('createdAt')
      .execute(),
  ])
  return {
    userId,
    signals: signals
      ? { adPersonalizationConsent: signals.adConsent, nonPersonalized: signals.nonPersonalized, interests: signals.interests, segments: signals.segments }
      : null,
    impressions,
    decisions,
  }
}
