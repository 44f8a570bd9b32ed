import type { MigrationSet } from '@attune/kit'
import * as createAdsTables from './0001-create-ads-tables.ts'
import * as createCopyVariants from './0002-create-copy-variants.ts'
import * as logDecisionsPerRequest from './0003-log-decisions-per-request.ts'
import * as logDecisionsPerBatch from './0004-log-decisions-per-batch.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-ads-tables': createAdsTables,
  '0002-create-copy-variants': createCopyVariants,
  '0003-log-decisions-per-request': logDecisionsPerRequest,
  '0004-log-decisions-per-batch': logDecisionsPerBatch,
}
