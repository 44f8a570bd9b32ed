import type { AnyEvent } from '@attune/contracts'
import { timeOrderedId } from '../random.ts'

export interface NewEvent<T> {
  type: string
  source: string
  subject: string
  data: T
  schemaVersion?: number
  time?: Date
}

/** Builds an envelope with a fresh UUIDv7 id. */
export function makeEvent<T>(e: NewEvent<T>, now: Date): AnyEvent & { data: T } {
  return {
    id: timeOrderedId(now.getTime()),
    type: e.type,
    source: e.source,
    time: (e.time ?? now).toISOString(),
    subject: e.subject,
    schemaVersion: e.schemaVersion ?? 1,
    data: e.data,
  }
}
