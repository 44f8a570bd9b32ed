import type { MigrationSet } from '@attune/kit'
import * as createEvents from './0001-create-events.ts'
import * as createProfilesAndIdentities from './0002-create-profiles-and-identities.ts'
import * as createPreferencesAndConsents from './0003-create-preferences-and-consents.ts'
import * as createPrivacyRequests from './0004-create-privacy-requests.ts'
import * as createSegments from './0005-create-segments.ts'
import * as createProfileReadFunction from './0006-create-profile-read-function.ts'
import * as leaveRoomForAggregateUpdates from './0007-leave-room-for-aggregate-updates.ts'
import * as oneTraitRowPerProfile from './0008-one-trait-row-per-profile.ts'
import * as createSuppressions from './0009-create-suppressions.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-events': createEvents,
  '0002-create-profiles-and-identities': createProfilesAndIdentities,
  '0003-create-preferences-and-consents': createPreferencesAndConsents,
  '0004-create-privacy-requests': createPrivacyRequests,
  '0005-create-segments': createSegments,
  '0006-create-profile-read-function': createProfileReadFunction,
  '0007-leave-room-for-aggregate-updates': leaveRoomForAggregateUpdates,
  '0008-one-trait-row-per-profile': oneTraitRowPerProfile,
  '0009-create-suppressions': createSuppressions,
}
