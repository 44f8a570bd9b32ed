import {
  type ConsentChange,
  type ConsentPurpose,
  ConsentPurposes,
  type ConsentRecord,
  type ConsentState,
  type ConsentStatus,
  type ProblemFieldError,
  type PurposeConsent,
  type UserConsents,
} from '@attune/contracts'
import { LAST_STORABLE_MS } from '@attune/kit'

/** One recorded choice. */
export interface ConsentEntry {
  purpose: ConsentPurpose
  status: ConsentStatus
  at: Date
  expiresAt: Date | null
  source: string | null
}

/** The latest choice per purpose (a purpose never set is absent). */
export type ConsentLedger = Partial<Record<ConsentPurpose, ConsentEntry>>

/** How far ahead of the server clock `at` may be (client clocks drift); such times are recorded as now. */
export const MAX_CONSENT_CLOCK_SKEW_MS = 5 * 60 * 1000

/** How a purpose reads at `now`: a grant past its `expiresAt` is `expired`; never set is `unknown`. */
export function consentState(entry: ConsentEntry | undefined, now: Date): ConsentState {
  if (!entry) return 'unknown'
  if (entry.status === 'granted' && entry.expiresAt && entry.expiresAt.getTime() <= now.getTime()) return 'expired'
  return entry.status
}

/** True only for a grant that has not expired at `now`; anything else (denied, revoked, expired, unknown) is no consent. */
export function hasConsent(state: ConsentLedger, purpose: ConsentPurpose, now: Date): boolean {
  return consentState(state[purpose], now) === 'granted'
}

function purposeConsent(entry: ConsentEntry | undefined, now: Date): PurposeConsent {
  return {
    state: consentState(entry, now),
    at: entry ? entry.at.toISOString() : null,
    expiresAt: entry?.expiresAt ? entry.expiresAt.toISOString() : null,
    source: entry?.source ?? null,
  }
}

/** The API view of a user's consents: every purpose, evaluated at `now`. */
export function describeConsents(userId: string, state: ConsentLedger, now: Date): UserConsents {
  const purposes = Object.fromEntries(ConsentPurposes.map((p) => [p, purposeConsent(state[p], now)])) as UserConsents['purposes']
  return { userId, purposes, asOf: now.toISOString() }
}

export type ConsentCheck = { ok: true; entries: ConsentEntry[] } | { ok: false; errors: ProblemFieldError[] }

/**
 * Checks what the schema cannot say: each purpose at most once per call, `at` not in the future
 * (beyond clock skew, and then recorded as `now`), `expiresAt` after `at`; fills `at` with `now`.
 */
export function checkConsentChanges(changes: ConsentChange[], now: Date): ConsentCheck {
  const errors: ProblemFieldError[] = []
  const entries: ConsentEntry[] = []
  const seen = new Set<ConsentPurpose>()
  for (const [i, c] of changes.entries()) {
    const err = (field: string, message: string) => errors.push({ field: `/consents/${i}/${field}`, in: 'body', message })
    if (seen.has(c.purpose)) {
      err('purpose', `${c.purpose} is set twice in this call`)
      continue
    }
    seen.add(c.purpose)
    let at = c.at ? new Date(c.at) : now
    if (at.getTime() - now.getTime() > MAX_CONSENT_CLOCK_SKEW_MS) {
      err('at', 'must not be in the future')
      continue
    }
    if (at.getTime() > now.getTime()) at = now
    const expiresAt = c.expiresAt ? new Date(c.expiresAt) : null
    if (expiresAt && expiresAt.getTime() <= at.getTime()) {
      err('expiresAt', 'must be after at')
      continue
    }
    entries.push({ purpose: c.purpose, status: c.status, at, expiresAt, source: c.source ?? null })
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries }
}

/** A history entry as the API shows it. */
export function consentRecord(e: ConsentEntry & { recordedAt: Date }): ConsentRecord {
  return {
    purpose: e.purpose,
    status: e.status,
    at: e.at.toISOString(),
    expiresAt: e.expiresAt ? e.expiresAt.toISOString() : null,
    source: e.source,
    recordedAt: e.recordedAt.toISOString(),
  }
}

/** Where a history page ends: the (at, id) of its last entry, newest first. */
export interface HistoryPosition {
  at: Date
  id: string
}

const MAX_BIGINT = 2n ** 63n - 1n

/** Opaque keyset cursor: base64url of `<at ms>.<id>`. */
export function encodeHistoryCursor(p: HistoryPosition): string {
  return Buffer.from(`${p.at.getTime()}.${p.id}`).toString('base64url')
}

export function decodeHistoryCursor(cursor: string): HistoryPosition | undefined {
  const m = /^(\d{1,15})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!m?.[1] || !m[2]) return undefined
  // What encodeHistoryCursor makes: a time Postgres can read and a bigint id (a larger one failed in the query as a 500).
  const at = Number(m[1])
  if (at > LAST_STORABLE_MS || BigInt(m[2]) > MAX_BIGINT) return undefined
  return { at: new Date(at), id: m[2] }
}
