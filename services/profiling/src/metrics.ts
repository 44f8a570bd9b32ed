import { type Metrics, serviceCounter } from '@attune/kit'
import type { EventBatchAccepted } from './schemas/events.ts'

/**
 * What became of an event sent to `POST /v1/events`, one outcome each, as the answer reports it:
 * stored with its user (`accepted`), stored only in aggregate (`aggregated`, counted in the
 * answer's `accepted` too), `duplicate`, `dropped` for lack of consent, `suppressed`, `erased`.
 */
export const CollectOutcomes = ['accepted', 'aggregated', 'duplicate', 'dropped', 'suppressed', 'erased'] as const
export type CollectOutcome = (typeof CollectOutcomes)[number]

/** How many events of an answer had each outcome; they add up to the events sent. */
export function outcomeCounts(answer: EventBatchAccepted): Record<CollectOutcome, number> {
  const aggregated = answer.aggregated ?? 0
  return {
    accepted: answer.accepted - aggregated,
    aggregated,
    duplicate: answer.duplicates.length,
    dropped: answer.dropped?.length ?? 0,
    suppressed: answer.suppressed?.length ?? 0,
    erased: answer.erased?.length ?? 0,
  }
}

/** `collected_events_total{outcome}` on the service's registry; `record` counts one answer of `POST /v1/events`. */
export function collectedEventsMetric(metrics: Metrics): { record(answer: EventBatchAccepted): void } {
  const counter = serviceCounter(metrics, {
    name: 'collected_events_total',
    help: `Events sent to POST /v1/events by outcome (${CollectOutcomes.join(', ')})`,
    labelNames: ['outcome'],
  })
  // Every outcome is exposed from the start, at 0, so that a rate over it is defined.
  for (const outcome of CollectOutcomes) counter.inc({ outcome }, 0)
  return {
    record(answer) {
      const counts = outcomeCounts(answer)
      for (const outcome of CollectOutcomes) if (counts[outcome] > 0) counter.inc({ outcome }, counts[outcome])
    },
  }
}
