import type { Kysely, Selectable } from 'kysely'
import type { AdsDb, AdsTable } from '../db.ts'
import type { Ad, AdInput } from '../schemas/creatives.ts'

export function toAd(r: Selectable<AdsTable>): Ad {
  return {
    adId: r.adId,
    campaignId: r.campaignId,
    title: r.title,
    body: r.body,
    imageUrl: r.imageUrl,
    clickUrl: r.clickUrl,
    format: r.format,
    categories: r.categories,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

function columns(input: AdInput, now: Date) {
  return {
    title: input.title,
    body: input.body ?? '',
    imageUrl: input.imageUrl ?? null,
    clickUrl: input.clickUrl,
    format: input.format,
    categories: input.categories ?? [],
    status: input.status ?? 'active',
    updatedAt: now,
  } as const
}

export function insertAd(db: Kysely<AdsDb>, id: string, campaignId: string, input: AdInput, now: Date) {
  return db
    .insertInto('ads')
    .values({ adId: id, campaignId, ...columns(input, now), createdAt: now })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateAd(db: Kysely<AdsDb>, id: string, input: AdInput, now: Date) {
  return db.updateTable('ads').set(columns(input, now)).where('adId', '=', id).returningAll().executeTakeFirst()
}

export function getAd(db: Kysely<AdsDb>, id: string) {
  return db.selectFrom('ads').selectAll().where('adId', '=', id).executeTakeFirst()
}

export function listAds(db: Kysely<AdsDb>, campaignId: string) {
  return db.selectFrom('ads').selectAll().where('campaignId', '=', campaignId).orderBy('createdAt').orderBy('adId').limit(1000).execute()
}

export async function deleteAd(db: Kysely<AdsDb>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('ads').where('adId', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
