import type { MigrationSet } from '@attune/kit'
import * as createGenerationTables from './0001-create-generation-tables.ts'
import * as shardTokenUsage from './0002-shard-token-usage.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-generation-tables': createGenerationTables,
  '0002-shard-token-usage': shardTokenUsage,
}
