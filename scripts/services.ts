import { ads } from '@attune/ads'
import { generation } from '@attune/generation'
import type { KitTables, ServiceDefinition } from '@attune/kit'
import { profiling } from '@attune/profiling'
import { recommendation } from '@attune/recommendation'
import { scheduling } from '@attune/scheduling'
import { sentiment } from '@attune/sentiment'

/** Every service of the suite; scripts (OpenAPI, migrations) iterate over this list. */
export const serviceDefinitions = [profiling, recommendation, generation, scheduling, sentiment, ads] as unknown as ServiceDefinition<KitTables>[]
