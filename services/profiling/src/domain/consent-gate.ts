import type { ConsentState } from '@attune/contracts'
import type { CollectedEvent } from './collect-events.ts'

export type WithoutConsent = 'keep' | 'aggregate' | 'drop'

/** Subject of events kept only in aggregate: they belong to no profile. */
export const AGGREGATE_SUBJECT = 'aggregate'

export interface GatedEvents {
  kept: CollectedEvent[]
  aggregated: CollectedEvent[]
  dropped: string[]
}

/** An event reduced to what aggregates need: no user or anonymous id, no context, only the category. */
export function toAggregate(e: CollectedEvent): CollectedEvent {
  const { userId: _u, anonymousId: _a, context: _c, properties, ...rest } = e.interaction
  const category = properties?.category
  return {
    ...e,
    subject: AGGREGATE_SUBJECT,
    interaction: { ...rest, ...(category !== undefined ? { properties: { category } } : {}) } as CollectedEvent['interaction'],
  }
}

/**
 * Applies analytics consent per event. A grant keeps the event. An explicit refusal (denied,
 * revoked, expired) never keeps per-user data: it is aggregated, or dropped in `drop` mode. No
 * choice at all follows the mode: `keep` (consent handled before events are sent), `aggregate`, `drop`.
 */
export function gateByConsent(events: CollectedEvent[], stateOf: (e: CollectedEvent) => ConsentState, mode: WithoutConsent): GatedEvents {
  const out: GatedEvents = { kept: [], aggregated: [], dropped: [] }
  for (const e of events) {
    const state = stateOf(e)
    const action = state === 'granted' ? 'keep' : state === 'unknown' ? mode : mode === 'drop' ? 'drop' : 'aggregate'
    if (action === 'keep') out.kept.push(e)
    else if (action === 'aggregate') out.aggregated.push(toAggregate(e))
    else out.dropped.push(e.interaction.id)
  }
  return out
}
