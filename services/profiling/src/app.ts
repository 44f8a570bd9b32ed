import { ConsentChanges, Interaction, Preferences, PreferencesInput, PreferencesPatch, PrivacyRequest, Topics, UserConsents } from '@attune/contracts'
import type { ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import { erasureConfirmationsConsumer, exportConsumer } from './consumers/privacy-consumers.ts'
import { segmentsConsumer } from './consumers/segments-consumer.ts'
import { sentimentConsumer } from './consumers/sentiment-consumer.ts'
import type { ProfilingDb } from './db.ts'
import { consentRoutes } from './routes/consents.ts'
import { eventRoutes } from './routes/events.ts'
import { identityRoutes } from './routes/identities.ts'
import { preferencesRoutes } from './routes/preferences.ts'
import { privacyRoutes } from './routes/privacy.ts'
import { profileRoutes } from './routes/profiles.ts'
import { retentionRoutes } from './routes/retention.ts'
import { segmentRoutes } from './routes/segments.ts'
import { traitRoutes } from './routes/traits.ts'
import { Profile } from './schemas/profiles.ts'
import { MembersPage, Segment, SegmentRule } from './schemas/segments.ts'
import { eraseUser } from './store/erase-user.ts'
import { exportUser } from './store/privacy-export-store.ts'
import { runRetention } from './store/retention-store.ts'

/** Profiling: collects interactions, keeps profiles and computed traits, merges identities; segments, preferences, consents and privacy rights. */
export const profiling: ServiceDefinition<ProfilingDb> = {
  name: 'profiling',
  version: '0.1.0',
  description: 'Collects interaction events; profiles, traits, segments, preferences, consents and privacy rights.',
  tags: [
    { name: 'events', description: 'Interaction collection' },
    { name: 'profiles', description: 'Attributes and computed traits per user' },
    { name: 'identities', description: 'Anonymous → known user merges' },
    { name: 'traits', description: 'Custom computed trait definitions' },
    { name: 'segments', description: 'Rule segments kept current as events arrive, and learned interest clusters' },
    { name: 'preferences', description: 'The user’s own choices: topics, mutes, channels, quiet hours, caps, languages, style' },
    { name: 'consents', description: 'Consent per purpose, with history' },
    { name: 'privacy', description: 'Data export, erasure across services, and retention of raw events' },
  ],
  migrations,
  schemas: [
    Interaction,
    Profile,
    Preferences,
    PreferencesInput,
    PreferencesPatch,
    UserConsents,
    ConsentChanges,
    PrivacyRequest,
    SegmentRule,
    Segment,
    MembersPage,
  ],
  routes(app, ctx) {
    eventRoutes(app, ctx)
    profileRoutes(app, ctx)
    identityRoutes(app, ctx)
    traitRoutes(app, ctx)
    segmentRoutes(app, ctx)
    preferencesRoutes(app, ctx)
    consentRoutes(app, ctx)
    privacyRoutes(app, ctx)
    retentionRoutes(app, ctx)
  },
  consumers: (ctx) => {
    const publisher = { clock: ctx.clock, profilesTopic: ctx.topic(Topics.profiles), source: ctx.name }
    return [
      segmentsConsumer(publisher),
      sentimentConsumer(publisher),
      erasureConfirmationsConsumer({ clock: ctx.clock, log: ctx.log }),
      exportConsumer({ service: ctx.name, clock: ctx.clock, log: ctx.log, exportUser }),
    ]
  },
  privacy: { erase: eraseUser, export: exportUser },
  jobs: (ctx) => [
    {
      name: 'event-retention',
      intervalMs: ctx.config.EVENT_RETENTION_INTERVAL_MS,
      run: () => runRetention(ctx.db, ctx.clock(), ctx.config.EVENT_RETENTION_DAYS),
    },
  ],
}
