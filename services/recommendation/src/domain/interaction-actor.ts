import type { Interaction, InteractionRecordedData } from '@attune/contracts'

/** Who did it: the user id, else the anonymous id; undefined for events published in aggregate only. */
export function actorOf(i: Interaction): string | undefined {
  return i.userId ?? i.anonymousId
}

/** When it happened: the interaction's own time, else when the collector received it. */
export function occurredAt(d: InteractionRecordedData): Date {
  return new Date(d.interaction.time ?? d.receivedAt)
}

/** The batch in time order (stable for equal times), so folds see events as they happened. */
export function inTimeOrder(batch: InteractionRecordedData[]): { data: InteractionRecordedData; at: Date }[] {
  return batch.map((data) => ({ data, at: occurredAt(data) })).sort((a, b) => a.at.getTime() - b.at.getTime())
}
