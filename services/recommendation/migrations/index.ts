import type { MigrationSet } from '@attune/kit'
import * as createItemPopularity from './0001-create-item-popularity.ts'
import * as createItems from './0002-create-items.ts'
import * as createInteractionState from './0003-create-interaction-state.ts'
import * as createUserPreferencesAndSegments from './0004-create-user-preferences-and-segments.ts'
import * as createServedRecommendations from './0005-create-served-recommendations.ts'
import * as createIdentityLinks from './0006-create-identity-links.ts'

/** This service's migrations in the order they run (by name). */
export const migrations: MigrationSet = {
  '0001-create-item-popularity': createItemPopularity,
  '0002-create-items': createItems,
  '0003-create-interaction-state': createInteractionState,
  '0004-create-user-preferences-and-segments': createUserPreferencesAndSegments,
  '0005-create-served-recommendations': createServedRecommendations,
  '0006-create-identity-links': createIdentityLinks,
}
