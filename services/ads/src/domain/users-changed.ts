import type { AnyEvent } from '@attune/contracts'

/** The users an event on `attune.profiles`, `attune.interactions` or `attune.privacy` is about (its data's userId, else its subject). */
export function usersChangedBy(events: readonly AnyEvent[]): string[] {
  const out = new Set<string>()
  for (const e of events) {
    const data = e.data as { userId?: unknown; interaction?: { userId?: unknown } } | null
    const id = typeof data?.userId === 'string' ? data.userId : typeof data?.interaction?.userId === 'string' ? data.interaction.userId : e.subject
    out.add(id)
  }
  return [...out]
}
