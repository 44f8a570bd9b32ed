import type { Kysely, Selectable } from 'kysely'
import type { AdsDb, AdvertisersTable } from '../db.ts'
import type { Advertiser, AdvertiserInput } from '../schemas/advertisers.ts'

export function toAdvertiser(r: Selectable<AdvertisersTable>): Advertiser {
  return {
    advertiserId: r.advertiserId,
    name: r.name,
    blockedCategories: r.blockedCategories,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

export function insertAdvertiser(db: Kysely<AdsDb>, id: string, input: AdvertiserInput, now: Date) {
  return db
    .insertInto('advertisers')
    .values({ advertiserId: id, name: input.name, blockedCategories: input.blockedCategories ?? [], createdAt: now, updatedAt: now })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateAdvertiser(db: Kysely<AdsDb>, id: string, input: AdvertiserInput, now: Date) {
  return db
    .updateTable('advertisers')
    .set({ name: input.name, blockedCategories: input.blockedCategories ?? [], updatedAt: now })
    .where('advertiserId', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function getAdvertiser(db: Kysely<AdsDb>, id: string) {
  return db.selectFrom('advertisers').selectAll().where('advertiserId', '=', id).executeTakeFirst()
}

export function listAdvertisers(db: Kysely<AdsDb>) {
  return db.selectFrom('advertisers').selectAll().orderBy('name').orderBy('advertiserId').limit(1000).execute()
}

export async function deleteAdvertiser(db: Kysely<AdsDb>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('advertisers').where('advertiserId', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
