import type { MigrationSet } from '@attune/kit'
import * as createSentimentTables from './0001-create-sentiment-tables.ts'
import * as uniqueSpikeAlertPerWindow from './0002-unique-spike-alert-per-window.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-sentiment-tables': createSentimentTables,
  '0002-unique-spike-alert-per-window': uniqueSpikeAlertPerWindow,
}
