import type { Kysely } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { decodeBins } from './activity-store.ts'

/** Scheduling's `privacy.export` hook: everything `eraseUser` deletes, as JSON. */
export async function exportUser(db: Kysely<SchedulingDb>, userId: string) {
  const [activity, preferences, consents, segments, deliveries] = await Promise.all([
    db.selectFrom('activityModels').selectAll().where('userId', '=', userId).orderBy('channel').execute(),
    db.selectFrom('userPreferences').selectAll().where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('userConsents').select(['states', 'asOf']).where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('userSegments').select(['segmentId', 'since']).where('userId', '=', userId).orderBy('segmentId').execute(),
    db
      .selectFrom('deliveries')
      .select(['deliveryId', 'campaignId', 'channel', 'grp', 'status', 'sendAt', 'reason', 'notes', 'sentAt', 'engagedAt'])
      .where('userId', '=', userId)
      .orderBy('sendAt')
      .execute(),
  ])
  return {
    userId,
    activity: activity.map((a) => ({ channel: a.channel, events: a.events, firstAt: a.firstAt, lastAt: a.lastAt, bins: Array.from(decodeBins(a.bins)) })),
    preferences: preferences ?? null,
    consents: consents ?? null,
    segments,
    deliveries,
  }
}
