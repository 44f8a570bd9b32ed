import type { Kysely } from 'kysely'
import type { AdsDb } from '../db.ts'
import { decisionsOfRequests, userDecisionsInBatches } from './decisions-store.ts'

/** Ads' `privacy.export` hook: everything `eraseUser` would delete, as JSON. */
export async function exportUser(db: Kysely<AdsDb>, userId: string) {
  const [signals, impressions, before0003, requests, batched] = await Promise.all([
    db.selectFrom('adUsers').selectAll().where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('userImpressions').select(['campaignId', 'at']).where('userId', '=', userId).orderBy('at').execute(),
    db
      .selectFrom('decisions')
      .select(['decisionId', 'adId', 'campaignId', 'placementId', 'personalized', 'reasons', 'createdAt'])
      .where('userId', '=', userId)
      .orderBy('createdAt')
      .execute(),
    db.selectFrom('decisionRequests').selectAll().where('userId', '=', userId).orderBy('createdAt').execute(),
    userDecisionsInBatches(db, userId),
  ])
  // Logged per placement before migration 0003, per request from 0003 to 0004, per batch since (and
  // by replicas of earlier versions during a rolling deploy): the same fields, oldest first.
  const decisions = [
    ...before0003,
    ...[...decisionsOfRequests(requests), ...batched].map(({ decisionId, adId, campaignId, placementId, personalized, reasons, createdAt }) => ({
      decisionId,
      adId,
      campaignId,
      placementId,
      personalized,
      reasons,
      createdAt,
    })),
  ].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  return {
    userId,
    signals: signals
      ? { adPersonalizationConsent: signals.adConsent, nonPersonalized: signals.nonPersonalized, interests: signals.interests, segments: signals.segments }
      : null,
    impressions,
    decisions,
  }
}
