import { EventTypes, type Interaction, type InteractionRecordedData, type ProblemFieldError } from '@attune/contracts'

export interface CollectedEvent {
  interaction: Interaction & { time: string }
  subject: string
  occurredAt: Date
}

export type CollectResult = { ok: true; events: CollectedEvent[]; inBatchDuplicates: string[] } | { ok: false; errors: ProblemFieldError[] }

/** How far in the future an event's own time may be (client clocks drift). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

/**
 * Checks what the schema cannot say (a user or anonymous id is present, the time is not in the
 * future), fills in the time, and drops repeats of an id within the batch.
 */
export function collectEvents(input: Interaction[], receivedAt: Date): CollectResult {
  const errors: ProblemFieldError[] = []
  const events: CollectedEvent[] = []
  const seen = new Set<string>()
  const inBatchDuplicates: string[] = []
  input.forEach((e, i) => {
    const subject = e.userId ?? e.anonymousId
    if (!subject) {
      errors.push({ field: `/events/${i}/userId`, in: 'body', message: 'userId or anonymousId is required' })
      return
    }
    if (e.type === 'identify' && !(e.userId && e.anonymousId)) {
      errors.push({ field: `/events/${i}/${e.userId ? 'anonymousId' : 'userId'}`, in: 'body', message: 'identify needs both userId and anonymousId' })
      return
    }
    const occurredAt = e.time ? new Date(e.time) : receivedAt
    if (occurredAt.getTime() - receivedAt.getTime() > MAX_CLOCK_SKEW_MS) {
      errors.push({ field: `/events/${i}/time`, in: 'body', message: 'must not be more than 5 minutes in the future' })
      return
    }
    const id = e.id.toLowerCase()
    if (seen.has(id)) {
      inBatchDuplicates.push(e.id)
      return
    }
    seen.add(id)
    events.push({ interaction: { ...e, id, time: occurredAt.toISOString() }, subject, occurredAt })
  })
  return errors.length > 0 ? { ok: false, errors } : { ok: true, events, inBatchDuplicates }
}

/** The `interaction.recorded` payload for a stored event. */
export function recordedData(e: CollectedEvent, receivedAt: Date): InteractionRecordedData {
  return { interaction: e.interaction, receivedAt: receivedAt.toISOString() }
}

export const interactionRecorded = EventTypes.interactionRecorded
