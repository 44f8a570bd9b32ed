import { type Static, type TSchema, Type } from 'typebox'
import { EventEnvelope, ExternalId } from './envelope.ts'

/** Channels a user can opt into and cap. */
export const Channels = ['email', 'push', 'sms', 'in_app', 'webhook'] as const
export type Channel = (typeof Channels)[number]

/** Purposes a user gives or refuses consent for. */
export const ConsentPurposes = ['personalization', 'ad_personalization', 'analytics', 'email', 'push'] as const
export type ConsentPurpose = (typeof ConsentPurposes)[number]

/** What a user can say about a purpose. */
export const ConsentStatuses = ['granted', 'denied', 'revoked'] as const
export type ConsentStatus = (typeof ConsentStatuses)[number]

/** How a purpose reads now: what was said, `expired` for a grant past its `expiresAt`, `unknown` when never set. */
export const ConsentStates = ['granted', 'denied', 'revoked', 'expired', 'unknown'] as const
export type ConsentState = (typeof ConsentStates)[number]

const Topic = Type.String({ minLength: 1, maxLength: 100, description: 'Topic name as used in the catalog', examples: ['climate'] })
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time, HH:MM (24 h)', examples: ['22:00'] })
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$',
  description: 'IANA time zone, e.g. Europe/Paris',
  examples: ['Europe/Paris'],
})
const Language = Type.String({
  minLength: 2,
  maxLength: 35,
  pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$',
  description: 'BCP 47 language tag',
  examples: ['en-GB'],
})

/** The same schema for every channel, so a new channel cannot be forgotten in one of them. */
function perChannel<T extends TSchema>(value: T) {
  return { email: value, push: value, sms: value, in_app: value, webhook: value } satisfies Record<Channel, T>
}

const ChannelOptIns = Type.Object(perChannel(Type.Boolean()), { additionalProperties: false, description: 'Opt-in per channel' })
const ChannelOptInsPatch = Type.Object(perChannel(Type.Optional(Type.Boolean())), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Channels to change; the others keep their value',
})

const QuietHours = Type.Object(
  { start: Time, end: Time, timeZone: TimeZone },
  { additionalProperties: false, description: 'No deliveries from start to end (may span midnight), in the user’s time zone' },
)
const QuietHoursPatch = Type.Object(
  { start: Type.Optional(Time), end: Type.Optional(Time), timeZone: Type.Optional(TimeZone) },
  { additionalProperties: false, minProperties: 1, description: 'Merged into the current quiet hours; the result must be complete' },
)

const FrequencyCap = Type.Object(
  {
    max: Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many deliveries …' }),
    per: Type.Enum(['day', 'week'], { description: '… per day or per week' }),
  },
  { additionalProperties: false },
)
const FrequencyCapPatch = Type.Object(
  { max: Type.Optional(FrequencyCap.properties.max), per: Type.Optional(FrequencyCap.properties.per) },
  { additionalProperties: false, minProperties: 1 },
)
const FrequencyCaps = Type.Object(perChannel(Type.Optional(FrequencyCap)), {
  additionalProperties: false,
  description: 'Cap per channel; a channel left out is not capped',
})
const FrequencyCapsPatch = Type.Object(perChannel(Type.Optional(Type.Union([FrequencyCapPatch, Type.Null()]))), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Caps to change; null removes a channel’s cap',
})

const LanguageStyle = Type.Object(
  {
    formality: Type.Enum(['casual', 'neutral', 'formal']),
    length: Type.Enum(['short', 'medium', 'long']),
    emoji: Type.Enum(['none', 'some', 'lots']),
    readingLevel: Type.Enum(['simple', 'standard', 'advanced']),
  },
  { additionalProperties: false, description: 'How generated text should read for this user' },
)
const LanguageStylePatch = Type.Object(
  {
    formality: Type.Optional(LanguageStyle.properties.formality),
    length: Type.Optional(LanguageStyle.properties.length),
    emoji: Type.Optional(LanguageStyle.properties.emoji),
    readingLevel: Type.Optional(LanguageStyle.properties.readingLevel),
  },
  { additionalProperties: false, minProperties: 1 },
)

const settingsFields = {
  followedTopics: Type.Array(Topic, { maxItems: 200, description: 'Topics to see more of' }),
  mutedTopics: Type.Array(Topic, { maxItems: 200, description: 'Topics never to show' }),
  mutedAuthors: Type.Array(ExternalId, { maxItems: 1000, description: 'Authors never to show' }),
  mutedItems: Type.Array(ExternalId, { maxItems: 1000, description: 'Items never to show' }),
  channels: ChannelOptIns,
  quietHours: Type.Union([QuietHours, Type.Null()], { description: 'Null when the user has none' }),
  frequencyCaps: FrequencyCaps,
  languages: Type.Array(Language, { maxItems: 20, description: 'Content languages in order of preference (BCP 47); empty = any' }),
  style: LanguageStyle,
  nonPersonalized: Type.Boolean({
    description: 'The user chose a feed not based on profiling (EU DSA art. 38): recommendations fall back to non-personalized ranking',
  }),
}

const settingsExample = {
  followedTopics: ['climate', 'science'],
  mutedTopics: ['celebrity'],
  mutedAuthors: ['author-9'],
  mutedItems: [],
  channels: { email: true, push: true, sms: false, in_app: true, webhook: false },
  quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
  frequencyCaps: { push: { max: 3, per: 'day' }, email: { max: 2, per: 'week' } },
  languages: ['fr', 'en-GB'],
  style: { formality: 'neutral', length: 'short', emoji: 'none', readingLevel: 'standard' },
  nonPersonalized: false,
}

/** The settings part of preferences: what `PUT` takes, whole. */
export const PreferencesInput = Type.Object(settingsFields, {
  $id: 'PreferencesInput',
  additionalProperties: false,
  description: 'The whole preferences document; it replaces what is stored',
  examples: [settingsExample],
})
export type PreferencesInput = Static<typeof PreferencesInput>

/** A merge patch: arrays are replaced, objects merged (a null frequency cap removes it; null quiet hours clears them). */
export const PreferencesPatch = Type.Object(
  {
    followedTopics: Type.Optional(settingsFields.followedTopics),
    mutedTopics: Type.Optional(settingsFields.mutedTopics),
    mutedAuthors: Type.Optional(settingsFields.mutedAuthors),
    mutedItems: Type.Optional(settingsFields.mutedItems),
    channels: Type.Optional(ChannelOptInsPatch),
    quietHours: Type.Optional(Type.Union([QuietHoursPatch, Type.Null()])),
    frequencyCaps: Type.Optional(FrequencyCapsPatch),
    languages: Type.Optional(settingsFields.languages),
    style: Type.Optional(LanguageStylePatch),
    nonPersonalized: Type.Optional(settingsFields.nonPersonalized),
  },
  {
    $id: 'PreferencesPatch',
    additionalProperties: false,
    minProperties: 1,
    description: 'Changes to merge into the stored preferences: arrays replace, objects merge',
    examples: [{ mutedAuthors: ['author-9', 'author-12'], channels: { push: false }, style: { emoji: 'lots' } }],
  },
)
export type PreferencesPatch = Static<typeof PreferencesPatch>

const preferencesFields = {
  userId: ExternalId,
  ...settingsFields,
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Null when the user never set anything (defaults)' }),
}
const preferencesExample = { userId: 'user-42', ...settingsExample, updatedAt: '2026-11-25T09:00:00.000Z' }

/** A user's preferences as stored, or the defaults (`updatedAt: null`). */
export const Preferences = Type.Object(preferencesFields, { $id: 'Preferences', additionalProperties: false, examples: [preferencesExample] })
export type Preferences = Static<typeof Preferences>

/** `data` of `preferences.updated` on `attune.profiles`: the full new preferences document. */
export const PreferencesUpdatedData = Type.Object(preferencesFields, { $id: 'PreferencesUpdatedData', additionalProperties: false })
export type PreferencesUpdatedData = Static<typeof PreferencesUpdatedData>

/** The envelope of `preferences.updated`; subject = user id. */
export const PreferencesUpdated = EventEnvelope(PreferencesUpdatedData, 'PreferencesUpdated')
export type PreferencesUpdated = Static<typeof PreferencesUpdated>

const Purpose = Type.Enum(ConsentPurposes, { description: 'What the consent is for' })
const Status = Type.Enum(ConsentStatuses)
const DateTime = Type.String({ format: 'date-time' })
const Source = Type.String({ minLength: 1, maxLength: 64, description: 'Where the choice was made', examples: ['cookie-banner'] })

/** One consent choice as sent: `at` defaults to now and may not be in the future; `expiresAt` must be after `at`. */
export const ConsentChange = Type.Object(
  {
    purpose: Purpose,
    status: Status,
    at: Type.Optional(Type.String({ format: 'date-time', description: 'When the user chose; defaults to now; not in the future' })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'When a grant lapses; after `at`' })),
    source: Type.Optional(Source),
  },
  { additionalProperties: false },
)
export type ConsentChange = Static<typeof ConsentChange>

/** Body of `POST /v1/users/{userId}/consents`: 1 to 5 purposes (each once), recorded together or not at all. */
export const ConsentChanges = Type.Object(
  { consents: Type.Array(ConsentChange, { minItems: 1, maxItems: ConsentPurposes.length, description: 'Each purpose at most once' }) },
  {
    $id: 'ConsentChanges',
    additionalProperties: false,
    examples: [
      {
        consents: [
          { purpose: 'personalization', status: 'granted', source: 'cookie-banner', expiresAt: '2027-11-25T09:00:00Z' },
          { purpose: 'ad_personalization', status: 'denied', source: 'cookie-banner' },
        ],
      },
    ],
  },
)
export type ConsentChanges = Static<typeof ConsentChanges>

const consentRecordExample = {
  purpose: 'personalization',
  status: 'granted',
  at: '2026-11-25T09:00:00.000Z',
  expiresAt: '2027-11-25T09:00:00.000Z',
  source: 'cookie-banner',
  recordedAt: '2026-11-25T09:00:00.120Z',
}

/** A recorded consent choice (history entry). */
export const ConsentRecord = Type.Object(
  {
    purpose: Purpose,
    status: Status,
    at: DateTime,
    expiresAt: Type.Union([DateTime, Type.Null()]),
    source: Type.Union([Source, Type.Null()]),
    recordedAt: Type.String({ format: 'date-time', description: 'When Attune stored it' }),
  },
  { additionalProperties: false, examples: [consentRecordExample] },
)
export type ConsentRecord = Static<typeof ConsentRecord>

/** How one purpose reads now, with the choice it comes from (nulls when `unknown`). */
export const PurposeConsent = Type.Object(
  {
    state: Type.Enum(ConsentStates, { description: '`expired`: a grant past its expiresAt; `unknown`: never set' }),
    at: Type.Union([DateTime, Type.Null()]),
    expiresAt: Type.Union([DateTime, Type.Null()]),
    source: Type.Union([Source, Type.Null()]),
  },
  { additionalProperties: false },
)
export type PurposeConsent = Static<typeof PurposeConsent>

const consentsFields = {
  userId: ExternalId,
  purposes: Type.Object(
    {
      personalization: PurposeConsent,
      ad_personalization: PurposeConsent,
      analytics: PurposeConsent,
      email: PurposeConsent,
      push: PurposeConsent,
    } satisfies Record<ConsentPurpose, typeof PurposeConsent>,
    { additionalProperties: false, description: 'Every purpose, as it reads at `asOf`' },
  ),
  asOf: Type.String({ format: 'date-time', description: 'The time the states were evaluated at' }),
}
const unknownPurpose = { state: 'unknown', at: null, expiresAt: null, source: null }
const consentsExample = {
  userId: 'user-42',
  purposes: {
    personalization: { state: 'granted', at: '2026-11-25T09:00:00.000Z', expiresAt: '2027-11-25T09:00:00.000Z', source: 'cookie-banner' },
    ad_personalization: { state: 'denied', at: '2026-11-25T09:00:00.000Z', expiresAt: null, source: 'cookie-banner' },
    analytics: unknownPurpose,
    email: unknownPurpose,
    push: unknownPurpose,
  },
  asOf: '2026-11-25T09:00:01.000Z',
}

/** The current consent state of a user, every purpose included. */
export const UserConsents = Type.Object(consentsFields, { $id: 'UserConsents', additionalProperties: false, examples: [consentsExample] })
export type UserConsents = Static<typeof UserConsents>

/** `data` of `consent.changed` on `attune.profiles`: what changed in one call and every purpose's state after it. */
export const ConsentChangedData = Type.Object(
  { ...consentsFields, changes: Type.Array(ConsentRecord, { minItems: 1, description: 'The choices recorded by this call' }) },
  { $id: 'ConsentChangedData', additionalProperties: false },
)
export type ConsentChangedData = Static<typeof ConsentChangedData>

/** The envelope of `consent.changed`; subject = user id. */
export const ConsentChanged = EventEnvelope(ConsentChangedData, 'ConsentChanged')
export type ConsentChanged = Static<typeof ConsentChanged>
