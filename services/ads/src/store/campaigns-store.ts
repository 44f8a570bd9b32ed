import type { Kysely, Selectable } from 'kysely'
import type { AdsDb, CampaignsTable } from '../db.ts'
import type { Campaign, CampaignInput } from '../schemas/campaigns.ts'

export function toCampaign(r: Selectable<CampaignsTable>): Campaign {
  return {
    campaignId: r.campaignId,
    advertiserId: r.advertiserId,
    name: r.name,
    status: r.status,
    startAt: r.startAt.toISOString(),
    endAt: r.endAt?.toISOString() ?? null,
    totalBudget: r.totalBudget,
    dailyBudget: r.dailyBudget,
    pacing: r.pacing,
    tier: r.tier,
    priceModel: r.priceModel,
    price: r.price,
    targeting: r.targeting,
    frequencyCap: r.frequencyCap,
    placementIds: r.placementIds,
    spent: r.spent,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

function columns(input: CampaignInput, now: Date) {
  return {
    advertiserId: input.advertiserId,
    name: input.name,
    status: input.status ?? 'active',
    startAt: input.startAt ? new Date(input.startAt) : now,
    endAt: input.endAt ? new Date(input.endAt) : null,
    totalBudget: input.totalBudget,
    dailyBudget: input.dailyBudget ?? null,
    pacing: input.pacing ?? 'even',
    tier: input.tier ?? 'standard',
    priceModel: input.priceModel,
    price: input.price,
    targeting: JSON.stringify(input.targeting ?? {}),
    frequencyCap: input.frequencyCap ? JSON.stringify(input.frequencyCap) : null,
    placementIds: input.placementIds ?? [],
    updatedAt: now,
  } as const
}

export function insertCampaign(db: Kysely<AdsDb>, id: string, input: CampaignInput, now: Date) {
  return db
    .insertInto('campaigns')
    .values({ campaignId: id, ...columns(input, now), createdAt: now })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateCampaign(db: Kysely<AdsDb>, id: string, input: CampaignInput, now: Date) {
  const { startAt, ...rest } = columns(input, now)
  return db
    .updateTable('campaigns')
    .set({ ...rest, ...(input.startAt ? { startAt } : {}) })
    .where('campaignId', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function getCampaign(db: Kysely<AdsDb>, id: string) {
  return db.selectFrom('campaigns').selectAll().where('campaignId', '=', id).executeTakeFirst()
}

export function listCampaigns(db: Kysely<AdsDb>, advertiserId: string | undefined) {
  let q = db.selectFrom('campaigns').selectAll()
  if (advertiserId) q = q.where('advertiserId', '=', advertiserId)
  return q.orderBy('createdAt', 'desc').orderBy('campaignId').limit(1000).execute()
}

export async function deleteCampaign(db: Kysely<AdsDb>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('campaigns').where('campaignId', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
