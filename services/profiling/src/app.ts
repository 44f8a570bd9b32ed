import { Interaction } from '@attune/contracts'
import type { ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import type { ProfilingDb } from './db.ts'
import { eventRoutes } from './routes/events.ts'

/** Profiling: collects interactions and (in later issues) builds profiles, segments, preferences and consents. */
export const profiling: ServiceDefinition<ProfilingDb> = {
  name: 'profiling',
  version: '0.1.0',
  description: 'Collects interaction events; profiles, traits, segments, preferences, consents and privacy rights.',
  tags: [{ name: 'events', description: 'Interaction collection' }],
  migrations,
  schemas: [Interaction],
  routes(app, ctx) {
    eventRoutes(app, ctx)
  },
}
