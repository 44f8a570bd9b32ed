import { type Kysely, sql } from 'kysely'
import type { SchedulingDb } from '../db.ts'

/**
 * Scheduling's `privacy.erase` hook: the user's activity model, mirrored preferences, consents and
 * segment memberships, and their deliveries (a campaign's audience list keeps ids only as given by
 * the caller, so the user's id is removed from it too). Audience rows are sums without user ids
 * and stay. Idempotent; an unknown user is a no-op.
 */
export async function eraseUser(trx: Kysely<SchedulingDb>, userId: string): Promise<void> {
  await trx.deleteFrom('activityModels').where('userId', '=', userId).execute()
  await trx.deleteFrom('userPreferences').where('userId', '=', userId).execute()
  await trx.deleteFrom('userConsents').where('userId', '=', userId).execute()
  await trx.deleteFrom('userSegments').where('userId', '=', userId).execute()
  await trx.deleteFrom('deliveries').where('userId', '=', userId).execute()
  const lists = await trx
    .selectFrom('campaigns')
    .select(['campaignId', 'audience'])
    .where(sql<boolean>`audience @> ${JSON.stringify({ userIds: [userId] })}::jsonb`)
    .execute()
  for (const c of lists)
    await trx
      .updateTable('campaigns')
      .set({ audience: JSON.stringify({ userIds: (c.audience.userIds ?? []).filter((u) => u !== userId) }) })
      .where('campaignId', '=', c.campaignId)
      .execute()
}
