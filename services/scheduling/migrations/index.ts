import type { MigrationSet } from '@attune/kit'
import * as createActivityModels from './0001-create-activity-models.ts'
import * as createProfileMirrors from './0002-create-profile-mirrors.ts'
import * as createCampaignsAndDeliveries from './0003-create-campaigns-and-deliveries.ts'
import * as addDeliveryClaims from './0004-add-delivery-claims.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-activity-models': createActivityModels,
  '0002-create-profile-mirrors': createProfileMirrors,
  '0003-create-campaigns-and-deliveries': createCampaignsAndDeliveries,
  '0004-add-delivery-claims': addDeliveryClaims,
}
