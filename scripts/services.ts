import type { KitTables, ServiceDefinition } from '@attune/kit'
import { profiling } from '@attune/profiling'
import { recommendation } from '@attune/recommendation'

/** Every service of the suite; scripts (OpenAPI, migrations) iterate over this list. */
export const serviceDefinitions = [profiling, recommendation] as unknown as ServiceDefinition<KitTables>[]
