import type { KitTables } from '@attune/kit'
import type { ColumnType, Generated } from 'kysely'

export interface EventsTable {
  id: string
  type: string
  userId: string | null
  anonymousId: string | null
  itemId: string | null
  occurredAt: ColumnType<Date, Date, never>
  receivedAt: ColumnType<Date, Date, never>
  payload: ColumnType<unknown, string, never>
}

export interface IdentityLinksTable {
  anonymousId: string
  userId: string
  mergedAt: ColumnType<Date, Date | undefined, never>
}

export interface MergeLogTable {
  id: Generated<number>
  anonymousId: string
  userId: string
  source: 'api' | 'identify'
  eventsMoved: number
  mergedAt: ColumnType<Date, Date | undefined, never>
}

export interface ProfilesTable {
  userId: string
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>
  firstSeen: Date | null
  lastSeen: Date | null
  updatedAt: ColumnType<Date, Date | undefined, Date>
  /** Computed-trait aggregates (migration 0008; written by `profile_traits_add`; see `TraitDocument`). */
  traits: ColumnType<Record<string, number>, string | undefined, string>
  /** The time the `a:` weights in `traits` are as of. */
  affinitiesAsOf: Date | null
}

export interface ProfileSentimentTable {
  userId: string
  samples: number
  compoundSum: number
  emotions: ColumnType<Record<string, number>, string, string>
}

export interface TraitDefinitionsTable {
  name: string
  kind: string
  property: string | null
  windowDays: number
  eventTypes: ColumnType<string[], string, string>
  filter: ColumnType<Record<string, string | number | boolean>, string, string>
  createdAt: ColumnType<Date, Date | undefined, never>
}

export interface PreferencesTable {
  userId: string
  /** The settings part of `Preferences` (contracts); missing keys read as their defaults. */
  document: ColumnType<Record<string, unknown>, string, string>
  updatedAt: Date
}

export interface ConsentRecordsTable {
  /** bigint: comes back as a string. */
  id: Generated<string>
  userId: string
  purpose: string
  status: string
  at: Date
  expiresAt: Date | null
  source: string | null
  recordedAt: ColumnType<Date, Date | undefined, never>
}

export interface PrivacyRequestsTable {
  id: string
  kind: 'export' | 'erasure'
  status: 'pending' | 'completed' | 'failed'
  /** Null once an erasure completed or the user was erased. */
  userId: string | null
  /** sha256 hex of the user id. */
  userIdHash: string
  /** Services that must confirm (from PRIVACY_SERVICES when requested). */
  services: ColumnType<string[], string, never>
  result: ColumnType<unknown, never, string | null>
  error: string | null
  requestedAt: ColumnType<Date, Date, never>
  completedAt: Date | null
}

export interface PrivacyConfirmationsTable {
  requestId: string
  service: string
  confirmedAt: ColumnType<Date, Date, never>
}

/** A suppressed id (hashed), see migration 0009. */
export interface SuppressionsTable {
  subjectHash: string
  userIdHash: string
  requestId: string | null
  suppressedAt: Date
}

export interface SegmentsTable {
  id: string
  kind: 'rule' | 'learned'
  name: string
  description: string | null
  /** The rule of a rule segment (null for learned ones). */
  rule: ColumnType<unknown, string | null, never>
  createdAt: ColumnType<Date, Date, never>
}

export interface SegmentMembersTable {
  segmentId: string
  userId: string
  since: ColumnType<Date, Date, never>
}

/** Tables in the `profiling` schema. */
export interface ProfilingDb extends KitTables {
  events: EventsTable
  identityLinks: IdentityLinksTable
  mergeLog: MergeLogTable
  profiles: ProfilesTable
  profileSentiment: ProfileSentimentTable
  traitDefinitions: TraitDefinitionsTable
  preferences: PreferencesTable
  consentRecords: ConsentRecordsTable
  privacyRequests: PrivacyRequestsTable
  privacyConfirmations: PrivacyConfirmationsTable
  suppressions: SuppressionsTable
  segments: SegmentsTable
  segmentMembers: SegmentMembersTable
}
