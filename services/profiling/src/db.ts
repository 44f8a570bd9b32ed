import type { KitTables } from '@attune/kit'
import type { ColumnType } from 'kysely'

export interface EventsTable {
  id: string
  type: string
  userId: string | null
  anonymousId: string | null
  itemId: string | null
  occurredAt: ColumnType<Date, Date, never>
  receivedAt: ColumnType<Date, Date, never>
  payload: ColumnType<unknown, string, never>
}

/** Tables in the `profiling` schema. */
export interface ProfilingDb extends KitTables {
  events: EventsTable
}
