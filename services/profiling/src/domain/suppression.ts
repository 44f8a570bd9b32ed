import type { CollectedEvent } from './collect-events.ts'

/** The ids an event is about: its user and its anonymous id (an event with both merges them). */
export function subjectIdsOf(e: CollectedEvent): string[] {
  const { userId, anonymousId } = e.interaction
  return [userId, anonymousId].filter((id): id is string => Boolean(id))
}

/** Events about no suppressed id, and the ids of those refused: an event naming any suppressed id is refused whole. */
export function withoutSuppressed(events: CollectedEvent[], suppressed: ReadonlySet<string>): { allowed: CollectedEvent[]; suppressed: string[] } {
  if (suppressed.size === 0) return { allowed: events, suppressed: [] }
  const allowed: CollectedEvent[] = []
  const refused: string[] = []
  for (const e of events) {
    if (subjectIdsOf(e).some((id) => suppressed.has(id))) refused.push(e.interaction.id)
    else allowed.push(e)
  }
  return { allowed, suppressed: refused }
}
