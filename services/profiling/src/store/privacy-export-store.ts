import { hashUserId } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ProfilingDb } from '../db.ts'
import { traitRowsOf } from '../domain/trait-documents.ts'
import { exportUserPreferencesAndConsents } from './preferences-store.ts'
import { userPrivacyRequests } from './privacy-requests-store.ts'
import { segmentsOfUser } from './segments-store.ts'
import { findSuppression } from './suppressions-store.ts'
import { parseTraitDocument, traitDocumentColumns } from './trait-aggregates-store.ts'

type Db = Kysely<ProfilingDb>

/**
 * Profiling's `privacy.export` hook: everything profiling holds about the user (the rows
 * `eraseUser` would delete), as JSON. Events of anonymous ids merged into the user are included.
 */
export async function exportUser(db: Db, userId: string) {
  const links = await db.selectFrom('identityLinks').select(['anonymousId', 'mergedAt']).where('userId', '=', userId).execute()
  const anonymousIds = links.map((l) => l.anonymousId)
  const ids = [userId, ...anonymousIds]
  const events = await db
    .selectFrom('events')
    .select(['id', 'type', 'occurredAt', 'receivedAt', 'payload'])
    .where((eb) => (anonymousIds.length > 0 ? eb.or([eb('userId', '=', userId), eb('anonymousId', 'in', anonymousIds)]) : eb('userId', '=', userId)))
    .orderBy('occurredAt')
    .orderBy('id')
    .execute()
  const [profile, sentiment, mergeLog, preferencesAndConsents, segments, privacyRequests, suppression] = await Promise.all([
    db
      .selectFrom('profiles')
      .select(['attributes', 'firstSeen', 'lastSeen', 'updatedAt', ...traitDocumentColumns])
      .where('userId', '=', userId)
      .executeTakeFirst(),
    db.selectFrom('profileSentiment').select(['samples', 'compoundSum', 'emotions']).where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('mergeLog').select(['anonymousId', 'source', 'eventsMoved', 'mergedAt']).where('userId', 'in', ids).orderBy('id').execute(),
    exportUserPreferencesAndConsents(db, userId),
    segmentsOfUser(db, userId),
    userPrivacyRequests(db, hashUserId(userId)),
    findSuppression(db, userId),
  ])
  const empty = { daily: {}, affinities: {}, affinitiesAsOf: null, hours: {}, languages: {} }
  // Every stored day: the export covers what is held, not only what traits currently count.
  const { daily: dailyCounts, affinities, hours, languages } = traitRowsOf(profile ? parseTraitDocument(profile) : empty, new Date(0))
  return {
    userId,
    anonymousIds: links,
    events: events.map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurredAt, receivedAt: e.receivedAt, interaction: e.payload })),
    profile: profile ? { attributes: profile.attributes, firstSeen: profile.firstSeen, lastSeen: profile.lastSeen, updatedAt: profile.updatedAt } : null,
    traits: { dailyCounts, affinities, hours, languages, sentiment: sentiment ?? null },
    merges: mergeLog,
    ...preferencesAndConsents,
    segments,
    privacyRequests,
    suppression: suppression ?? null,
  }
}
