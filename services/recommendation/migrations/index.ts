import type { MigrationSet } from '@attune/kit'
import * as createItemPopularity from './0001-create-item-popularity.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-item-popularity': createItemPopularity,
}
