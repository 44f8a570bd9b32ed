import type { PrivacyRequest, PrivacyRequestKind, PrivacyRequestStatus } from '@attune/contracts'

/** `PRIVACY_SERVICES` as a list: trimmed, deduplicated, in the order given. */
export function parseServiceList(spec: string): string[] {
  return [
    ...new Set(
      spec
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}

/** Services that must still confirm. */
export function awaitingServices(required: readonly string[], confirmed: Iterable<string>): string[] {
  const done = new Set(confirmed)
  return required.filter((s) => !done.has(s))
}

export interface StoredPrivacyRequest {
  id: string
  kind: PrivacyRequestKind
  status: PrivacyRequestStatus
  userId: string | null
  userIdHash: string
  services: string[]
  result: unknown
  error: string | null
  requestedAt: Date
  completedAt: Date | null
}

/** The request as the API shows it: the result only for a completed export. */
export function describeRequest(r: StoredPrivacyRequest, confirmations: { service: string; confirmedAt: Date }[]): PrivacyRequest {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    userId: r.userId,
    userIdHash: r.userIdHash,
    requestedAt: r.requestedAt.toISOString(),
    completedAt: r.completedAt ? r.completedAt.toISOString() : null,
    services: r.services,
    confirmations: confirmations.map((c) => ({ service: c.service, confirmedAt: c.confirmedAt.toISOString() })),
    awaiting:
      r.status === 'pending'
        ? awaitingServices(
            r.services,
            confirmations.map((c) => c.service),
          )
        : [],
    ...(r.kind === 'export' && r.status === 'completed' ? { result: r.result } : {}),
    ...(r.error ? { error: r.error } : {}),
  }
}
