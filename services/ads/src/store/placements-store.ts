import type { Kysely, Selectable } from 'kysely'
import type { AdsDb, PlacementsTable } from '../db.ts'
import type { Placement, PlacementInput } from '../schemas/placements.ts'

export function toPlacement(r: Selectable<PlacementsTable>): Placement {
  return { placementId: r.placementId, name: r.name, zone: r.zone, format: r.format, createdAt: r.createdAt.toISOString() }
}

export function insertPlacement(db: Kysely<AdsDb>, id: string, input: PlacementInput, now: Date) {
  return db
    .insertInto('placements')
    .values({ placementId: id, name: input.name, zone: input.zone, format: input.format, createdAt: now })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updatePlacement(db: Kysely<AdsDb>, id: string, input: PlacementInput) {
  return db
    .updateTable('placements')
    .set({ name: input.name, zone: input.zone, format: input.format })
    .where('placementId', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function getPlacement(db: Kysely<AdsDb>, id: string) {
  return db.selectFrom('placements').selectAll().where('placementId', '=', id).executeTakeFirst()
}

export function listPlacements(db: Kysely<AdsDb>) {
  return db.selectFrom('placements').selectAll().orderBy('zone').orderBy('placementId').limit(1000).execute()
}

export async function deletePlacement(db: Kysely<AdsDb>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('placements').where('placementId', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
