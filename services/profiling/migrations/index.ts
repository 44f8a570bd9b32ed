import type { MigrationSet } from '@attune/kit'
import * as createEvents from './0001-create-events.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-events': createEvents,
}
